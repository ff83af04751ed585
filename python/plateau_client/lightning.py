"""PyTorch Lightning: stop ``trainer.fit`` on Plateau's verdict.

    from plateau_client.lightning import StopOnPlateau
    trainer = Trainer(logger=TensorBoardLogger("logs"), callbacks=[StopOnPlateau()])

The callback finds the logger's directory itself (``trainer.logger.log_dir``, else
``trainer.log_dir``). Importing this module does not import Lightning; ``StopOnPlateau`` does, on
first use (``lightning.pytorch``, else ``pytorch_lightning``).
"""

from typing import Any, Iterable, Optional

from ._lazy import lazy_class
from ._flags import STOP_STATUSES, verdict


def _callback_base() -> Any:
    try:
        from lightning.pytorch.callbacks import Callback

        return Callback
    except ImportError:
        try:
            from pytorch_lightning.callbacks import Callback
        except ImportError:
            raise ImportError("plateau_client.lightning.StopOnPlateau needs PyTorch Lightning "
                              "(pip install lightning)") from None
        return Callback


def _log_dir_of(trainer: Any) -> Optional[str]:
    logger = getattr(trainer, "logger", None)
    directory = getattr(logger, "log_dir", None) if logger is not None else None
    return directory or getattr(trainer, "log_dir", None)


def _make_class(base: Any) -> type:
    class StopOnPlateau(base):
        """Sets ``trainer.should_stop`` once Plateau's verdict for the logger's directory says stop.

        ``log_dir`` overrides the directory found on the trainer. The verdict that stopped training
        is ``self.verdict``; its ``best_step`` is the logger's step of the checkpoint to keep.
        """

        def __init__(self, statuses: Iterable[str] = STOP_STATUSES, log_dir: Optional[str] = None,
                     flag_dir: Optional[str] = None, logdir: Optional[str] = None):
            super().__init__()
            self.statuses = tuple(statuses)
            self.log_dir = log_dir
            self.flag_dir = flag_dir
            self.logdir = logdir
            self.verdict = None

        def _check(self, trainer: Any, pl_module: Any) -> None:
            directory = self.log_dir or _log_dir_of(trainer)
            if directory is None:
                return
            found = verdict(directory, self.flag_dir, self.logdir)
            if found is None or not found.stops(self.statuses):
                return
            first = self.verdict is None
            self.verdict = found
            trainer.should_stop = True
            if first:
                pl_module.print("plateau: %s" % found)

        def on_validation_epoch_end(self, trainer, pl_module):
            self._check(trainer, pl_module)

        def on_train_epoch_end(self, trainer, pl_module):
            self._check(trainer, pl_module)

    return StopOnPlateau


__getattr__ = lazy_class(__name__, "StopOnPlateau", lambda: _make_class(_callback_base()))
