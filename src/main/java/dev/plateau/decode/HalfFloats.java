package dev.plateau.decode;

/** Conversions of 16-bit floating-point formats to double, exact for every input. */
public final class HalfFloats {
  private HalfFloats() {}

  /** IEEE 754 binary16 bits (low 16 bits of {@code bits}) to the same value as a double. */
  public static double float16ToDouble(int bits) {
    int sign = (bits >>> 15) & 0x1;
    int exponent = (bits >>> 10) & 0x1f;
    int fraction = bits & 0x3ff;
    double magnitude;
    if (exponent == 0x1f) {
      magnitude = fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    } else if (exponent == 0) {
      magnitude = fraction * 0x1p-24; // subnormal: fraction * 2^-14 * 2^-10
    } else {
      magnitude = Math.scalb(1.0 + fraction / 1024.0, exponent - 15);
    }
    return sign == 0 ? magnitude : -magnitude;
  }

  /** bfloat16 bits (low 16 bits of {@code bits}) to the same value as a double. */
  public static double bfloat16ToDouble(int bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }
}
