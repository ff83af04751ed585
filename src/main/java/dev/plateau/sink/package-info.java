/**
 * Where verdicts go ({@code WebhookSink}, {@code SlackSink}, {@code FlagSink}), with the retry
 * policy and secrets.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.sink;

import org.jspecify.annotations.NullMarked;
