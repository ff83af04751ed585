package dev.plateau.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One store per state database: a second open is refused while the first is open. */
class StateLockTest {

  @Test
  void aSecondOpenOfTheSameDatabaseIsRefusedNamingItAndTheHolderUntilTheFirstCloses(
      @TempDir Path dir) throws Exception {
    Path db = dir.resolve("state.db");
    StateStore first = StateStore.open(db, false, StateStoreTest.CLOCK);
    assertThat(Files.readString(StateLock.fileOf(db.toAbsolutePath())))
        .startsWith(ProcessHandle.current().pid() + " on ");
    assertThatThrownBy(() -> StateStore.open(db, false, StateStoreTest.CLOCK))
        .isInstanceOf(StateException.class)
        .hasMessageContaining(db.toAbsolutePath().toString())
        .hasMessageContaining("in use by another plateau")
        .hasMessageContaining("PID " + ProcessHandle.current().pid());
    first.close();
    try (StateStore again = StateStore.open(db, false, StateStoreTest.CLOCK)) {
      assertThat(again).isNotNull();
    }
  }

  @Test
  void aRefusedOpenLeavesTheHoldersLockInPlace(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("state.db");
    StateStore first = StateStore.open(db, false, StateStoreTest.CLOCK); // held only for its lock
    try {
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> StateStore.open(db, false, StateStoreTest.CLOCK))
            .isInstanceOf(StateException.class);
      }
      assertThat(Files.readString(StateLock.fileOf(db.toAbsolutePath())))
          .startsWith(ProcessHandle.current().pid() + " on ");
    } finally {
      first.close();
    }
  }
}
