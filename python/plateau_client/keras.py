"""Keras: stop ``model.fit`` on Plateau's verdict, and optionally restore the kept checkpoint.

    from plateau_client.keras import StopOnPlateau
    model.fit(x, y, epochs=1000, callbacks=[
        keras.callbacks.TensorBoard(log_dir),
        keras.callbacks.ModelCheckpoint(os.path.join(ckpt_dir, "ckpt-{epoch}.weights.h5"),
                                        save_weights_only=True),
        StopOnPlateau(log_dir, restore_best=True,
                      checkpoint_pattern=os.path.join(ckpt_dir, "ckpt-{epoch}.weights.h5")),
    ])

Importing this module does not import Keras; ``StopOnPlateau`` does, on first use (Keras 3's
``keras``, else ``tensorflow.keras``).
"""

import os
import warnings
from typing import Any, Iterable, Optional

from ._lazy import lazy_class
from ._flags import STOP_STATUSES, checkpoint_path, verdict

#: Keras' ``ModelCheckpoint`` numbers epochs from 1; its TensorBoard callback logs epoch n at step n-1.
KERAS_EPOCH_OFFSET = 1


def _callback_base() -> Any:
    try:
        import keras  # noqa: F401  (Keras 3, or Keras 2 as a package)

        return keras.callbacks.Callback
    except ImportError:
        try:
            from tensorflow import keras as tf_keras
        except ImportError:
            raise ImportError("plateau_client.keras.StopOnPlateau needs Keras "
                              "(pip install keras, or tensorflow)") from None
        return tf_keras.callbacks.Callback


def _make_class(base: Any) -> type:
    class StopOnPlateau(base):
        """Sets ``model.stop_training`` once Plateau's verdict for ``log_dir`` says stop.

        ``log_dir`` is the TensorBoard callback's directory (its ``train``/``validation`` runs'
        experiment). With ``restore_best=True`` the weights of the verdict's ``best_step`` are
        loaded from ``checkpoint_pattern`` (``{epoch}`` as ``ModelCheckpoint`` numbers it, or
        ``{step}``) when training stops; a missing checkpoint file is a warning, not an error.
        The verdict that stopped training is ``self.verdict``.
        """

        def __init__(self, log_dir: str, statuses: Iterable[str] = STOP_STATUSES,
                     restore_best: bool = False, checkpoint_pattern: Optional[str] = None,
                     flag_dir: Optional[str] = None, logdir: Optional[str] = None,
                     epoch_offset: int = KERAS_EPOCH_OFFSET, verbose: bool = True):
            super().__init__()
            if restore_best and not checkpoint_pattern:
                raise ValueError("restore_best=True needs checkpoint_pattern (e.g. 'ckpt-{epoch}.weights.h5')")
            self.log_dir = log_dir
            self.statuses = tuple(statuses)
            self.restore_best = restore_best
            self.checkpoint_pattern = checkpoint_pattern
            self.flag_dir = flag_dir
            self.logdir = logdir
            self.epoch_offset = epoch_offset
            self.verbose = verbose
            self.verdict = None
            self.restored_from = None

        def on_epoch_end(self, epoch, logs=None):
            found = verdict(self.log_dir, self.flag_dir, self.logdir)
            if found is None or not found.stops(self.statuses):
                return
            self.verdict = found
            self.model.stop_training = True
            if self.verbose:
                print("plateau: %s" % found)

        def on_train_end(self, logs=None):
            if not (self.restore_best and self.verdict is not None and self.verdict.best_step is not None):
                return
            path = checkpoint_path(self.checkpoint_pattern, int(self.verdict.best_step), self.epoch_offset)
            if not os.path.exists(path):
                warnings.warn("plateau: no checkpoint of step %s at %s; the weights stay those of the last epoch"
                              % (self.verdict.best_step, path))
                return
            self.model.load_weights(path)
            self.restored_from = path
            if self.verbose:
                print("plateau: restored %s" % path)

    return StopOnPlateau


__getattr__ = lazy_class(__name__, "StopOnPlateau", lambda: _make_class(_callback_base()))
