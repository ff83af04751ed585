/**
 * What the tests share: {@link dev.plateau.testing.FakeClock} (time a test moves, as a {@code
 * Clock} and as nanoseconds), {@link dev.plateau.testing.RunningDaemon} (a daemon's loop on a
 * thread until closed, with waits for what it does), {@link dev.plateau.testing.LoopbackStatus} (a
 * watcher, a daemon and a status server on loopback, as the server tests build them) and {@link
 * dev.plateau.testing.SharedFixtures} (the shared data in {@code ../shared}: a test fails under CI
 * when it is missing, and is skipped elsewhere). Tests never sleep to wait: they move a fake clock,
 * or wait with Awaitility for real I/O.
 */
package dev.plateau.testing;
