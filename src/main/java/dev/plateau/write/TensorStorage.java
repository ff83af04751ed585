package dev.plateau.write;

/** Where a tensor scalar's number is put: both forms occur in files that TensorFlow writes. */
public enum TensorStorage {
  /** Little-endian bytes in {@code tensor_content} (TensorFlow 2's writer). */
  TENSOR_CONTENT,
  /** The typed repeated field: {@code float_val}, {@code double_val}, {@code half_val} ... */
  TYPED_FIELD
}
