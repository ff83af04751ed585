package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HumanNumberTest {
  @Test
  void valuesGetThreeSignificantDigits() {
    assertThat(HumanNumber.of(0.123456)).isEqualTo("0.123");
    assertThat(HumanNumber.of(2.5)).isEqualTo("2.5");
    assertThat(HumanNumber.of(1.0)).isEqualTo("1");
    assertThat(HumanNumber.of(-0.00987654)).isEqualTo("-0.00988");
    assertThat(HumanNumber.of(123.456)).isEqualTo("123");
  }

  @Test
  void wholeNumbersFromAThousandKeepTheirDigitsAndTinyOnesGetAnExponent() {
    assertThat(HumanNumber.of(1537.4)).isEqualTo("1537");
    assertThat(HumanNumber.of(5.80430387344677E-5)).isEqualTo("5.8e-5");
    assertThat(HumanNumber.of(1e-9)).isEqualTo("1e-9");
    assertThat(HumanNumber.of(3.2e12)).isEqualTo("3.2e12");
    assertThat(HumanNumber.of(0)).isEqualTo("0");
    assertThat(HumanNumber.of(Double.NaN)).isEqualTo("NaN");
    assertThat(HumanNumber.of(Double.NEGATIVE_INFINITY)).isEqualTo("-∞");
  }

  @Test
  void reasonsHaveTheirLongDecimalsRewrittenAndTheirStepsKept() {
    assertThat(
            HumanNumber.inText(
                "no improvement beyond 5.80430387344677E-5 over 1537 points (best 0.2345678 at"
                    + " step 120)"))
        .isEqualTo("no improvement beyond 5.8e-5 over 1537 points (best 0.235 at step 120)");
    assertThat(HumanNumber.inText("run v1.2.3 at 2%")).isEqualTo("run v1.2.3 at 2%");
  }

  @Test
  void numbersInsideRunNamesAreLeftAsWritten() {
    assertThat(HumanNumber.inText("grid-1/lr-1.0 lags its sweep by -0.1234567"))
        .isEqualTo("grid-1/lr-1.0 lags its sweep by -0.123");
    assertThat(HumanNumber.inText("sweep/0.5000 and x_2.50")).isEqualTo("sweep/0.5000 and x_2.50");
  }
}
