package dev.plateau.decode;

/** Where a scalar's number came from: its type on the wire. Every type is kept as a double. */
public enum ValueType {
  /** {@code Summary.Value.simple_value}, or a DT_FLOAT tensor. */
  FLOAT32,
  /** A DT_DOUBLE tensor. */
  FLOAT64,
  /** A DT_HALF tensor (IEEE 754 binary16). */
  FLOAT16,
  /** A DT_BFLOAT16 tensor (the upper 16 bits of a float32). */
  BFLOAT16,
  /** A DT_INT32 tensor. */
  INT32,
  /** A DT_INT64 tensor; values beyond 2^53 lose their lowest bits as doubles. */
  INT64
}
