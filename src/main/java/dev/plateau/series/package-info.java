/**
 * Scalar points and series ({@code ScalarPoint}, {@code Series}, {@code RunSeries} with the restart
 * rule, {@code SeriesKey}).
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.series;

import org.jspecify.annotations.NullMarked;
