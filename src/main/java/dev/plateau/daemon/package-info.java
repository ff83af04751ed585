/**
 * The daemon: {@code Watcher} (read, judge and commit a round), {@code DeliveryWorker} (one per
 * sink) and {@code Daemon} (the loop).
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.daemon;

import org.jspecify.annotations.NullMarked;
