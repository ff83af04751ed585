package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JudgeThreadsTest {
  @Test
  void itemsRunAtTheSameTimeOnTheCallerAndTheHelpers() throws Exception {
    // Each of the first three items waits for the two others: only three threads at once pass.
    CyclicBarrier together = new CyclicBarrier(3);
    Set<String> names = ConcurrentHashMap.newKeySet();
    try (JudgeThreads threads = JudgeThreads.of(3)) {
      threads.run(
          List.of(1, 2, 3),
          item -> {
            names.add(Thread.currentThread().getName());
            try {
              together.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException("items did not run at the same time", e);
            }
          });
    }
    assertThat(names).hasSize(3).contains(Thread.currentThread().getName());
  }

  @Test
  void everyItemRunsOnceAndTheFirstFailureIsThrownAfterAllWereTried() {
    List<Integer> done = Collections.synchronizedList(new ArrayList<>());
    try (JudgeThreads threads = JudgeThreads.of(2)) {
      assertThatThrownBy(
              () ->
                  threads.run(
                      IntStream.range(0, 1000).boxed().toList(),
                      item -> {
                        if (item == 500) {
                          throw new IllegalArgumentException("item 500");
                        }
                        done.add(item);
                      }))
          .hasMessageContaining("item 500");
    }
    assertThat(done).hasSize(999).doesNotHaveDuplicates();
  }

  @Test
  void serialRunsOnTheCallingThreadAndCountsOfThreadsAreChecked() {
    List<String> names = new ArrayList<>();
    JudgeThreads.SERIAL.run(List.of(1, 2, 3), i -> names.add(Thread.currentThread().getName()));
    assertThat(names).containsOnly(Thread.currentThread().getName());
    assertThat(JudgeThreads.of(1)).isSameAs(JudgeThreads.SERIAL);
    assertThatThrownBy(() -> JudgeThreads.of(0)).hasMessageContaining("from 1 to 256");
  }
}
