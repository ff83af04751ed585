"""The Keras and Lightning callbacks.

Neither framework can be installed here (no PyPI; Debian packages neither), so these tests put a
stand-in module under the framework's name with only what the callbacks use (a ``Callback`` base
class); the flag files the callbacks read are real ones written by the daemon in test_flags and in
the PyTorch test. Where Keras or Lightning is installed, the same tests also run against it.
"""

import importlib
import json
import os
import shutil
import sys
import tempfile
import types
import unittest
import warnings


def _install_stand_in(name, attribute_path):
    """Registers modules ``name`` (dotted) whose ``attribute_path`` is a plain Callback class."""
    class Callback:
        def __init__(self):
            self.model = None

    parts = name.split(".")
    created = []
    for i in range(len(parts)):
        module_name = ".".join(parts[: i + 1])
        if module_name not in sys.modules:
            sys.modules[module_name] = types.ModuleType(module_name)
            created.append(module_name)
        if i:
            setattr(sys.modules[".".join(parts[:i])], parts[i], sys.modules[module_name])
    target = sys.modules[name]
    for part in attribute_path[:-1]:
        if not hasattr(target, part):
            setattr(target, part, types.SimpleNamespace())
        target = getattr(target, part)
    setattr(target, attribute_path[-1], Callback)
    return created


def _fresh(module):
    import plateau_client
    sys.modules.pop(module, None)
    return importlib.import_module(module)


def _write_flag(directory, status, best_step):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, status.upper()), "w") as f:
        json.dump({"status": status, "best_step": best_step, "best_value": 0.25, "run": "exp/validation",
                   "tag": "epoch_loss", "reason": "test"}, f)


class PackageImportsWithoutFrameworksTest(unittest.TestCase):
    def test_the_package_and_its_callback_modules_import_without_keras_or_lightning(self):
        import plateau_client
        import plateau_client.keras as k
        import plateau_client.lightning as l
        self.assertTrue(callable(plateau_client.should_stop))
        for module, framework in ((k, "keras"), (l, "lightning")):
            try:
                importlib.import_module(framework)
                continue  # installed here: nothing to prove
            except ImportError:
                pass
            if framework in sys.modules:
                continue
            with self.assertRaises(ImportError) as raised:
                getattr(_fresh(module.__name__), "StopOnPlateau")
            self.assertIn("needs", str(raised.exception))


class KerasStopOnPlateauTest(unittest.TestCase):
    def setUp(self):
        self.created = []
        try:
            import keras  # noqa: F401
        except ImportError:
            self.created = _install_stand_in("keras", ["callbacks", "Callback"])
        self.module = _fresh("plateau_client.keras")
        self.temp = tempfile.mkdtemp()
        self.log_dir = os.path.join(self.temp, "exp")

    def tearDown(self):
        for name in self.created:
            sys.modules.pop(name, None)
        sys.modules.pop("plateau_client.keras", None)
        shutil.rmtree(self.temp, ignore_errors=True)

    def _model(self):
        loaded = []
        model = types.SimpleNamespace(stop_training=False, load_weights=loaded.append)
        return model, loaded

    def test_training_stops_on_a_stop_flag_and_restores_the_kept_epochs_checkpoint(self):
        checkpoints = os.path.join(self.temp, "ckpt")
        os.makedirs(checkpoints)
        for epoch in range(1, 9):  # ModelCheckpoint's numbering: epoch n is step n-1
            open(os.path.join(checkpoints, "ckpt-%d.weights.h5" % epoch), "w").close()
        callback = self.module.StopOnPlateau(self.log_dir, restore_best=True, verbose=False,
                                             checkpoint_pattern=os.path.join(checkpoints, "ckpt-{epoch}.weights.h5"))
        model, loaded = self._model()
        callback.model = model
        callback.on_epoch_end(0)
        self.assertFalse(model.stop_training)
        _write_flag(self.log_dir, "stalled", 2)  # informational: no stop
        callback.on_epoch_end(1)
        self.assertFalse(model.stop_training)
        os.remove(os.path.join(self.log_dir, "STALLED"))
        _write_flag(self.log_dir, "converged", 4)
        callback.on_epoch_end(7)
        self.assertTrue(model.stop_training)
        self.assertEqual(callback.verdict.best_step, 4)
        callback.on_train_end()
        self.assertEqual(loaded, [os.path.join(checkpoints, "ckpt-5.weights.h5")])

    def test_a_missing_checkpoint_is_a_warning_and_the_weights_stay(self):
        callback = self.module.StopOnPlateau(self.log_dir, restore_best=True, verbose=False,
                                             checkpoint_pattern=os.path.join(self.temp, "none-{epoch}.h5"))
        model, loaded = self._model()
        callback.model = model
        _write_flag(self.log_dir, "overfitting", 3)
        callback.on_epoch_end(5)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            callback.on_train_end()
        self.assertTrue(model.stop_training)
        self.assertEqual(loaded, [])
        self.assertIn("none-4.h5", str(caught[0].message))

    def test_restore_best_without_a_pattern_is_refused(self):
        with self.assertRaises(ValueError):
            self.module.StopOnPlateau(self.log_dir, restore_best=True)


class LightningStopOnPlateauTest(unittest.TestCase):
    def setUp(self):
        self.created = []
        try:
            import lightning.pytorch  # noqa: F401
        except ImportError:
            self.created = _install_stand_in("lightning.pytorch.callbacks", ["Callback"])
        self.module = _fresh("plateau_client.lightning")
        self.temp = tempfile.mkdtemp()

    def tearDown(self):
        for name in self.created:
            sys.modules.pop(name, None)
        sys.modules.pop("plateau_client.lightning", None)
        shutil.rmtree(self.temp, ignore_errors=True)

    def test_the_trainer_stops_on_the_flag_in_its_loggers_directory(self):
        log_dir = os.path.join(self.temp, "lightning_logs", "version_0")
        printed = []
        trainer = types.SimpleNamespace(should_stop=False, logger=types.SimpleNamespace(log_dir=log_dir))
        module = types.SimpleNamespace(print=printed.append)
        callback = self.module.StopOnPlateau()
        callback.on_validation_epoch_end(trainer, module)
        self.assertFalse(trainer.should_stop)
        _write_flag(log_dir, "diverged", 11)
        callback.on_validation_epoch_end(trainer, module)
        callback.on_train_epoch_end(trainer, module)
        self.assertTrue(trainer.should_stop)
        self.assertEqual(callback.verdict.best_step, 11)
        self.assertEqual(len(printed), 1)
        self.assertIn("diverged", printed[0])

    def test_only_the_chosen_statuses_stop(self):
        log_dir = os.path.join(self.temp, "v1")
        trainer = types.SimpleNamespace(should_stop=False, logger=None, log_dir=log_dir)
        _write_flag(log_dir, "converged", 3)
        callback = self.module.StopOnPlateau(statuses=("diverged",))
        callback.on_validation_epoch_end(trainer, types.SimpleNamespace(print=lambda *a: None))
        self.assertFalse(trainer.should_stop)


if __name__ == "__main__":
    unittest.main()
