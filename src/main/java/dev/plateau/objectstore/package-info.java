/**
 * Logdirs in object storage: an {@code ObjectStore} (list a prefix page by page, read a byte range,
 * write an object) and the tailer that reads event files from one as {@code LogdirTailer} reads a
 * directory. Object stores do not append: a writer uploads the whole file again at each flush, so
 * an object grows by being replaced with a longer one, and {@code TailedObject} reads only the new
 * bytes (a ranged GET from the committed offset), telling a grown object from one replaced by other
 * content. Nothing here knows a vendor's client; the {@code aws} package implements it for
 * S3-compatible services.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.objectstore;

import org.jspecify.annotations.NullMarked;
