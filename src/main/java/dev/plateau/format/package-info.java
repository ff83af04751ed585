/**
 * Output formats: points as JSONL and CSV, verdicts as JSON, text tables, sparklines and forecasts.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.format;

import org.jspecify.annotations.NullMarked;
