"""End to end: a real PyTorch training loop stopped by the real daemon through plateau_client.

A small MLP trains on synthetic data with noisy labels (it learns, then stops improving), writing
its train and validation losses each epoch as event files in the Keras layout and saving every
epoch's weights. ``plateau watch`` runs beside it. The loop asks ``should_stop`` after each epoch,
stops within a few epochs of the verdict, and reloads the checkpoint of the flag's best step.
Each epoch takes at least EPOCH_SECONDS, like real training (the daemon reads the files as they
are written, as it would a real job's). Skipped, saying why, where torch cannot be imported.
"""

import json
import os
import shutil
import socket
import tempfile
import time
import unittest
import urllib.request

import plateau_client
from . import support

try:
    import torch
except ImportError:  # Debian: apt-get install python3-torch
    torch = None

EPOCH_SECONDS = 0.2
MAX_EPOCHS = 400


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _await_ready(port, daemon, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            raise AssertionError("the daemon exited with %s" % daemon.returncode)
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/readyz" % port, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("the daemon was not ready within %d s" % seconds)


@unittest.skipIf(torch is None, "torch cannot be imported here (Debian: apt-get install python3-torch)")
@support.needs_daemon
class TorchLoopStopsOnTheVerdictTest(unittest.TestCase):
    def setUp(self):
        self.temp = tempfile.mkdtemp()
        self.logdir = os.path.join(self.temp, "logs")
        self.experiment = os.path.join(self.logdir, "mlp")
        self.checkpoints = os.path.join(self.temp, "ckpt")
        os.makedirs(self.checkpoints)
        os.makedirs(self.experiment)
        self.port = _free_port()
        self.daemon = support.start_plateau(
            "watch", "--http", "127.0.0.1:%d" % self.port, "--poll-interval", "200ms",
            "--state-dir", os.path.join(self.temp, "state"), self.logdir)

    def tearDown(self):
        output = support.stop(self.daemon)
        if self._outcome_failed():
            print(output)
        shutil.rmtree(self.temp, ignore_errors=True)

    def _outcome_failed(self):
        result = getattr(self, "_outcome", None)
        errors = getattr(result, "errors", None) or []
        return any(e for _, e in errors)

    def test_the_loop_stops_within_a_few_epochs_of_the_verdict_and_reloads_the_best_checkpoint(self):
        _await_ready(self.port, self.daemon)
        torch.manual_seed(7)
        x = torch.randn(600, 8)
        w = torch.randn(8, 1)
        y = x @ w + 0.5 * torch.randn(600, 1)  # noise the model cannot learn
        train_x, train_y, val_x, val_y = x[:200], y[:200], x[200:], y[200:]

        def new_model():
            return torch.nn.Sequential(torch.nn.Linear(8, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))

        model = new_model()
        optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
        loss_of = torch.nn.MSELoss()

        def val_loss(m):
            with torch.no_grad():
                return float(loss_of(m(val_x), val_y))

        start = time.time()
        train_writer = support.EventWriter(os.path.join(self.experiment, "train"), start)
        val_writer = support.EventWriter(os.path.join(self.experiment, "validation"), start)
        val_losses = []
        stopped_at = None
        try:
            for epoch in range(MAX_EPOCHS):
                began = time.monotonic()
                for i in range(0, 200, 32):
                    optimiser.zero_grad()
                    loss = loss_of(model(train_x[i:i + 32]), train_y[i:i + 32])
                    loss.backward()
                    optimiser.step()
                with torch.no_grad():
                    train_loss = float(loss_of(model(train_x), train_y))
                val_losses.append(val_loss(model))
                torch.save(model.state_dict(), os.path.join(self.checkpoints, "ckpt-%d.pt" % epoch))
                now = time.time()
                train_writer.scalar("epoch_loss", epoch, now, train_loss)
                val_writer.scalar("epoch_loss", epoch, now, val_losses[-1])
                if plateau_client.should_stop(self.experiment):
                    stopped_at = epoch
                    break
                time.sleep(max(0.0, EPOCH_SECONDS - (time.monotonic() - began)))  # the epoch's work
        finally:
            train_writer.close()
            val_writer.close()

        self.assertIsNotNone(stopped_at, "no stop verdict in %d epochs" % MAX_EPOCHS)
        verdict = plateau_client.verdict(self.experiment)
        if os.environ.get("PLATEAU_TEST_VERBOSE"):
            print("stopped at epoch %d: %r decided at %s" % (stopped_at, verdict, verdict.decided_at_step))
        self.assertIn(verdict.status, plateau_client.STOP_STATUSES)
        # the loop saw the flag within a few epochs of the step the verdict was decided at
        self.assertGreaterEqual(stopped_at, verdict.decided_at_step)
        self.assertLessEqual(stopped_at - verdict.decided_at_step, 10,
                             "stopped at epoch %d, decided at %d" % (stopped_at, verdict.decided_at_step))
        best = verdict.best_step
        if verdict.run.endswith("validation"):
            # the kept checkpoint is the best measured validation loss up to the decision
            self.assertAlmostEqual(verdict.best_value, min(val_losses[: verdict.decided_at_step + 1]), places=5)
            self.assertAlmostEqual(val_losses[best], verdict.best_value, places=5)
        restored = new_model()
        restored.load_state_dict(torch.load(plateau_client.checkpoint_path(
            os.path.join(self.checkpoints, "ckpt-{step}.pt"), best)))
        self.assertAlmostEqual(val_loss(restored), val_losses[best], places=6)
        self.assertNotAlmostEqual(val_loss(restored), val_loss(model), places=6)
        with open(verdict.path) as f:
            self.assertEqual(json.load(f)["best_step"], best)


if __name__ == "__main__":
    unittest.main()
