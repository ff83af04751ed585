/**
 * Detectors (pure state machines of a series; time is passed in), {@code SeriesJudge}, {@code
 * Verdict}, saved states, {@code LearningCurveForecast} and {@code StopPolicy}.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.detect;

import org.jspecify.annotations.NullMarked;
