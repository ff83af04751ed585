/**
 * TFRecord framing ({@code RecordReader}), CRC32C and {@code EventDecoder}: the bytes of an event
 * file to scalars; no file names, threads or clock, it reads a channel it is given.
 *
 * <p>Nothing is null unless it is marked {@code @Nullable}.
 */
@NullMarked
package dev.plateau.decode;

import org.jspecify.annotations.NullMarked;
