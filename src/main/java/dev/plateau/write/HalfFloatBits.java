package dev.plateau.write;

/** Rounds doubles to 16-bit float formats (round half to even), for writing test data. */
final class HalfFloatBits {
  private HalfFloatBits() {}

  /** IEEE 754 binary16 bits of the float16 nearest to {@code value}. */
  static int toFloat16(double value) {
    float f = (float) value;
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
    int mantissa = bits & 0x7fffff;
    if (Float.isNaN(f)) {
      return sign | 0x7e00;
    }
    if (exponent >= 0x1f) {
      return sign | 0x7c00; // overflow and infinity
    }
    if (exponent <= 0) {
      if (exponent < -10) {
        return sign; // underflows to zero
      }
      mantissa |= 0x800000;
      int shift = 14 - exponent;
      int half = mantissa >>> shift;
      int rest = mantissa & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (rest > halfway || (rest == halfway && (half & 1) == 1)) {
        half++;
      }
      return sign | half;
    }
    int half = (exponent << 10) | (mantissa >>> 13);
    int rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++; // may carry into the exponent, which rounds up to infinity correctly
    }
    return sign | half;
  }

  /** bfloat16 bits of the bfloat16 nearest to {@code value}. */
  static int toBfloat16(double value) {
    int bits = Float.floatToRawIntBits((float) value);
    if (Float.isNaN((float) value)) {
      return (bits >>> 16) | 0x40;
    }
    int rounding = 0x7fff + ((bits >>> 16) & 1);
    return (bits + rounding) >>> 16;
  }
}
