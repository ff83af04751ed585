/**
 * Scoring stops on finished curves ({@link dev.plateau.tune.CurveScore}) and choosing a setting
 * from the scores ({@link dev.plateau.tune.Frontier}), for {@code plateau tune}: the definitions of
 * the project's evaluation tool ({@code detect_eval.py}), so that both give the same figures. Pure:
 * arrays in, numbers out.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.tune;

import org.jspecify.annotations.NullMarked;
