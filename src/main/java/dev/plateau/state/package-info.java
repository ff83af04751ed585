/**
 * The SQLite state store (offsets, judge states, experiments, verdicts, outbox) and {@code
 * JudgeStateCodec}.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.state;

import org.jspecify.annotations.NullMarked;
