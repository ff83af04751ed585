/**
 * Logdir discovery, per-file offsets and identity ({@code FileCursor}) and polling: which event
 * files grew, read from where they were left.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.tail;

import org.jspecify.annotations.NullMarked;
