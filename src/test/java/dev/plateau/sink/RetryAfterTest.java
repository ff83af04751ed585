package dev.plateau.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");
  private static final Duration CAP = Duration.ofHours(1);

  @Test
  void secondsAreReadAsTheyAre() {
    assertThat(RetryAfter.parse("7", NOW, CAP)).isEqualTo(Duration.ofSeconds(7));
    assertThat(RetryAfter.parse(" 0 ", NOW, CAP)).isEqualTo(Duration.ZERO);
  }

  @Test
  void httpDateIsMeasuredFromNow() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:30:30 GMT", NOW, CAP))
        .isEqualTo(Duration.ofSeconds(150));
  }

  @Test
  void dateInThePastMeansNow() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", NOW, CAP))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void longWaitsAreCapped() {
    assertThat(RetryAfter.parse("86400", NOW, CAP)).isEqualTo(CAP);
    assertThat(RetryAfter.parse("99999999999999999999999", NOW, CAP)).isEqualTo(CAP);
    assertThat(RetryAfter.parse("Thu, 22 Oct 2015 07:28:00 GMT", NOW, CAP)).isEqualTo(CAP);
  }

  @Test
  void absentOrUnreadableHeaderLeavesItToThePolicy() {
    assertThat(RetryAfter.parse(null, NOW, CAP)).isNull();
    assertThat(RetryAfter.parse("", NOW, CAP)).isNull();
    assertThat(RetryAfter.parse("soon", NOW, CAP)).isNull();
    assertThat(RetryAfter.parse("-5", NOW, CAP)).isNull();
    assertThat(RetryAfter.parse("1.5", NOW, CAP)).isNull();
  }
}
