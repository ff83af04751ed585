/**
 * {@code Glob}: the patterns that pick runs and tags.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.match;

import org.jspecify.annotations.NullMarked;
