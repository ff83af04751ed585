"""plateau_client against flag files written by the real daemon (``plateau watch --until-done``)."""

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import plateau_client
from plateau_client import __main__ as cli
from . import support


def write_curve(run_dir, values, tag="epoch_loss"):
    start = time.time() - 600
    with support.EventWriter(run_dir, start) as writer:
        for step, value in enumerate(values):
            writer.scalar(tag, step, start + step, value)


def converging(points=120):
    return [1.0 + 8.0 * math.exp(-t / 8.0) + 0.01 * math.sin(t) for t in range(points)]


@support.needs_daemon
class VerdictFromTheDaemonsFlagsTest(unittest.TestCase):
    def setUp(self):
        self.temp = tempfile.mkdtemp()
        self.logdir = os.path.join(self.temp, "logs")
        self.state = os.path.join(self.temp, "state")

    def tearDown(self):
        shutil.rmtree(self.temp, ignore_errors=True)

    def watch_until_done(self, *extra, timeout="60s"):
        return support.run_plateau("watch", "--until-done", "--timeout", timeout, "--http", "off",
                                   "--state-dir", self.state, *extra, self.logdir)

    def test_a_converged_keras_experiment_is_found_from_its_own_and_its_split_directories(self):
        experiment = os.path.join(self.logdir, "exp1")
        values = converging()
        write_curve(os.path.join(experiment, "train"), [v * 0.9 for v in values])
        write_curve(os.path.join(experiment, "validation"), values)
        done = self.watch_until_done()
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        flag = os.path.join(experiment, "CONVERGED")
        self.assertTrue(os.path.isfile(flag))
        with open(flag) as f:
            written = json.load(f)

        for log_dir in (experiment, os.path.join(experiment, "validation"), os.path.join(experiment, "train")):
            found = plateau_client.verdict(log_dir)
            self.assertIsNotNone(found, log_dir)
            self.assertEqual(found.status, "converged")
            self.assertEqual(found.best_step, written["best_step"])
            self.assertEqual(found.raw, written)
            self.assertEqual(found.path, flag)
            self.assertTrue(plateau_client.should_stop(log_dir))
        # the kept checkpoint is the deciding series' best measured value up to the decision
        series = values if written["run"].endswith("validation") else [v * 0.9 for v in values]
        decided = written["decided_at_step"]
        best = min(range(decided + 1), key=lambda s: (round(series[s], 5), s))
        self.assertLessEqual(abs(series[found.best_step] - series[best]), 1e-5)
        self.assertFalse(plateau_client.should_stop(experiment, statuses=("diverged",)))

    def test_a_diverged_run_stops_and_only_its_own_statuses_stop_it(self):
        run = os.path.join(self.logdir, "bad")
        write_curve(run, converging(30)[:29] + [float("nan")])
        done = self.watch_until_done()
        self.assertEqual(done.returncode, 3, done.stdout + done.stderr)
        found = plateau_client.verdict(run)
        self.assertEqual(found.status, "diverged")
        self.assertTrue(plateau_client.should_stop(run))
        self.assertFalse(plateau_client.should_stop(run, statuses=("converged",)))

    def test_a_run_still_training_has_no_verdict(self):
        run = os.path.join(self.logdir, "busy")
        write_curve(run, [10.0 - 0.05 * t for t in range(40)])  # still falling steadily
        done = self.watch_until_done(timeout="3s")
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIsNone(plateau_client.verdict(run))
        self.assertFalse(plateau_client.should_stop(run))

    def test_flags_under_a_flag_dir_are_found_through_the_watched_logdir(self):
        experiment = os.path.join(self.logdir, "team", "exp2")
        write_curve(experiment, converging())
        flags = os.path.join(self.temp, "flags")
        done = self.watch_until_done("--flag-dir", flags)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertFalse(os.path.exists(os.path.join(experiment, "CONVERGED")))
        self.assertIsNone(plateau_client.verdict(experiment))

        found = plateau_client.verdict(experiment, flag_dir=flags, logdir=self.logdir)
        self.assertEqual(found.status, "converged")
        self.assertEqual(found.path, os.path.join(flags, "team", "exp2", "CONVERGED"))
        # the experiment's own flag directory, given directly
        self.assertEqual(plateau_client.verdict(experiment, flag_dir=os.path.join(flags, "team", "exp2")).status,
                         "converged")
        # the same through the variables a job's environment carries
        saved = dict(os.environ)
        try:
            os.environ[plateau_client.FLAG_DIR_VARIABLE] = flags
            os.environ[plateau_client.LOGDIR_VARIABLE] = self.logdir
            self.assertTrue(plateau_client.should_stop(experiment))
        finally:
            os.environ.clear()
            os.environ.update(saved)
        with self.assertRaises(ValueError):
            plateau_client.verdict(self.temp, flag_dir=flags, logdir=self.logdir)

    def test_the_command_line_exits_zero_on_a_stop_and_one_while_training(self):
        experiment = os.path.join(self.logdir, "exp3")
        write_curve(experiment, converging())
        self.assertEqual(cli.main([experiment]), 1)
        done = self.watch_until_done()
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(cli.main([experiment]), 0)
        self.assertEqual(cli.main([experiment, "--statuses", "diverged"]), 1)
        # and as a separate process, as a shell script runs it
        env = dict(os.environ, PYTHONPATH=os.path.dirname(support.HERE))
        shown = subprocess.run([sys.executable, "-m", "plateau_client", experiment, "--json"], env=env,
                               stdout=subprocess.PIPE, universal_newlines=True)
        self.assertEqual(shown.returncode, 0)
        self.assertEqual(json.loads(shown.stdout)["status"], "converged")


class WaitForVerdictTest(unittest.TestCase):
    """Time is driven by the test: the clock moves only when the waiter sleeps."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.now = 0.0
        self.slept = []

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds

    def test_the_wait_ends_at_the_timeout_without_a_verdict(self):
        found = plateau_client.wait_for_verdict(self.dir, timeout=5, poll_interval=2, clock=self.clock,
                                                sleep=self.sleep)
        self.assertIsNone(found)
        self.assertEqual(self.slept, [2, 2, 1])

    def test_the_wait_returns_the_verdict_once_a_stop_flag_appears(self):
        def sleep_then_flag(seconds):
            self.sleep(seconds)
            if len(self.slept) == 2:  # informational first: not a stop
                with open(os.path.join(self.dir, "STALLED"), "w") as f:
                    json.dump({"status": "stalled", "best_step": 3}, f)
            if len(self.slept) == 4:
                os.remove(os.path.join(self.dir, "STALLED"))
                with open(os.path.join(self.dir, "CONVERGED"), "w") as f:
                    json.dump({"status": "converged", "best_step": 7, "best_value": 0.5}, f)

        found = plateau_client.wait_for_verdict(self.dir, timeout=60, poll_interval=1, clock=self.clock,
                                                sleep=sleep_then_flag)
        self.assertEqual(found.status, "converged")
        self.assertEqual(found.best_step, 7)
        self.assertEqual(len(self.slept), 4)

    def test_a_flag_that_is_not_a_verdict_is_named_in_the_error(self):
        path = os.path.join(self.dir, "CONVERGED")
        with open(path, "w") as f:
            f.write("not json")
        with self.assertRaises(ValueError) as raised:
            plateau_client.verdict(self.dir)
        self.assertIn(path, str(raised.exception))
        self.assertEqual(cli.main([self.dir]), 2)


class CheckpointPathTest(unittest.TestCase):
    def test_keras_numbers_checkpoint_epochs_from_one(self):
        self.assertEqual(plateau_client.checkpoint_path("ckpt-{epoch}.keras", 4, epoch_offset=1), "ckpt-5.keras")
        self.assertEqual(plateau_client.checkpoint_path("ckpt-{step:04d}.pt", 4), "ckpt-0004.pt")


if __name__ == "__main__":
    unittest.main()
