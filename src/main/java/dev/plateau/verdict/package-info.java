/**
 * {@code LogdirJudge}: series to judges to experiment verdicts; twins, experiments and the
 * combination of runs.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.verdict;

import org.jspecify.annotations.NullMarked;
