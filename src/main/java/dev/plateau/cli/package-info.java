/**
 * The commands and the wiring of the daemon's parts; nothing depends on this package.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.cli;

import org.jspecify.annotations.NullMarked;
