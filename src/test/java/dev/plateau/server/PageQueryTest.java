package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.detect.Status;
import org.junit.jupiter.api.Test;

class PageQueryTest {
  @Test
  void readsStatusNameAndPage() {
    PageQuery q = PageQuery.of("status=diverged&q=LSTM%20a&page=3");
    assertThat(q.status()).isEqualTo(Status.DIVERGED);
    assertThat(q.q()).isEqualTo("LSTM a");
    assertThat(q.page()).isEqualTo(3);
    assertThat(q.matches("big-lstm a-7", Status.DIVERGED)).isTrue();
    assertThat(q.matches("big-lstm a-7", Status.CONVERGED)).isFalse();
    assertThat(q.matches("resnet", Status.DIVERGED)).isFalse();
  }

  @Test
  void valuesThatMeanNothingAreIgnored() {
    PageQuery q = PageQuery.of("status=nonsense&page=-2&logdir=x&q=%zz&other=1");
    assertThat(q.status()).isNull();
    assertThat(q.page()).isEqualTo(1);
    assertThat(q.logdir()).isZero();
    assertThat(q.q()).isEmpty();
  }

  @Test
  void linksKeepTheFilterAndEncodeTheText() {
    PageQuery q = PageQuery.of("q=a%26b%22%3C");
    assertThat(q.overviewQuery(Status.STALLED, 2))
        .isEqualTo("/?status=stalled&q=a%26b%22%3C&page=2");
    assertThat(q.overviewQuery(null, 1)).isEqualTo("/?q=a%26b%22%3C");
  }
}
