/**
 * The YAML configuration: detection rules and alert sections; {@code DetectorSpecs} binds keys to
 * detectors.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.config;

import org.jspecify.annotations.NullMarked;
