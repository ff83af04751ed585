/**
 * A real event-file writer, for the demo, the benchmarks and the tests.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.write;

import org.jspecify.annotations.NullMarked;
