/**
 * {@code StatusServer}: /healthz, /readyz, /metrics, /api/runs and the status page, from what the
 * daemon publishes, on its own connection loop.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.server;

import org.jspecify.annotations.NullMarked;
