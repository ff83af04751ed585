"""Reading Plateau's flag files: where an experiment's flag is, and what it says.

Plateau (the daemon, ``plateau watch``) writes one file per experiment whose name is the
experiment's current status (``CONVERGED``, ``TARGET_REACHED``, ``DIVERGED``, ``OVERFITTING``,
``STALLED``; ``NOT_LEARNING`` when configured as a stop) and whose content is the verdict as JSON.
It writes the file atomically (a temporary file renamed into place) and removes it when the
experiment trains again, so a reader never sees half a file; it may see a file vanish between
listing and opening it, which reads as "no verdict".
"""

import json
import os
import time
from typing import Any, Callable, Dict, Iterable, Optional, Tuple

#: The statuses a job stops on by default: those whose flag says "stop, and keep ``best_step``".
STOP_STATUSES = ("converged", "target_reached", "diverged", "overfitting")

#: Every status that has a flag file, in the order a reader prefers them when several exist.
FLAG_STATUSES = ("diverged", "target_reached", "overfitting", "converged", "stalled", "not_learning")

#: Directory names that are a split of an experiment (its flag is in their parent), as Plateau
#: groups runs: the Keras layout writes ``X/train`` and ``X/validation`` and the flag is ``X/...``.
SPLIT_DIRECTORIES = frozenset(
    ("train", "training", "validation", "valid", "val", "eval", "evaluation", "test", "dev")
)

FLAG_DIR_VARIABLE = "PLATEAU_FLAG_DIR"
LOGDIR_VARIABLE = "PLATEAU_LOGDIR"


class Verdict:
    """One flag's verdict: the experiment's status and the checkpoint to keep.

    ``best_step`` is the step of the series' best measured value (the checkpoint to keep);
    ``raw`` is the whole JSON object Plateau wrote (``evidence``, ``forecast`` and the rest).
    """

    __slots__ = ("status", "best_step", "best_value", "decided_at_step", "reason", "experiment",
                 "run", "tag", "id", "path", "raw")

    def __init__(self, raw: Dict[str, Any], path: str):
        self.raw = raw
        self.path = path
        self.status = raw.get("status")  # type: Optional[str]
        self.best_step = raw.get("best_step")  # type: Optional[int]
        self.best_value = raw.get("best_value")  # type: Optional[float]
        self.decided_at_step = raw.get("decided_at_step")  # type: Optional[int]
        self.reason = raw.get("reason")  # type: Optional[str]
        self.experiment = raw.get("experiment")  # type: Optional[str]
        self.run = raw.get("run")  # type: Optional[str]
        self.tag = raw.get("tag")  # type: Optional[str]
        self.id = raw.get("id")  # type: Optional[str]

    def stops(self, statuses: Iterable[str] = STOP_STATUSES) -> bool:
        """Whether this verdict's status is one of ``statuses``."""
        return self.status in set(statuses)

    def __repr__(self) -> str:
        return "Verdict(status=%r, best_step=%r, best_value=%r, run=%r, tag=%r)" % (
            self.status, self.best_step, self.best_value, self.run, self.tag)

    def __str__(self) -> str:
        text = "%s: keep step %s" % (self.status, self.best_step)
        if self.best_value is not None:
            text += " (%s %s)" % (self.tag or "value", self.best_value)
        return text + (" - " + self.reason if self.reason else "")


def flag_directories(log_dir: str, flag_dir: Optional[str] = None,
                     logdir: Optional[str] = None) -> Tuple[str, ...]:
    """The directories where the flag of the experiment logging to ``log_dir`` may be.

    ``log_dir`` is the job's log directory: the experiment's directory, or one of its split
    directories (``train``, ``validation``, ...), whose experiment is the parent.

    With Plateau's ``--flag-dir DIR`` (``flag_dir``, or the ``PLATEAU_FLAG_DIR`` variable) flags
    mirror the watched logdir under ``DIR``: give the watched logdir as ``logdir`` (or
    ``PLATEAU_LOGDIR``) and the experiment's place under it is worked out; without it, ``flag_dir``
    is taken as the experiment's own flag directory.
    """
    experiment = os.path.abspath(log_dir)
    candidates = [experiment]
    if os.path.basename(experiment).lower() in SPLIT_DIRECTORIES:
        candidates.insert(0, os.path.dirname(experiment))
    flag_dir = flag_dir if flag_dir is not None else os.environ.get(FLAG_DIR_VARIABLE) or None
    if flag_dir is None:
        return tuple(candidates)
    logdir = logdir if logdir is not None else os.environ.get(LOGDIR_VARIABLE) or None
    if logdir is None:
        return (os.path.abspath(flag_dir),)
    root = os.path.abspath(logdir)
    mirrored = []
    for directory in candidates:
        relative = os.path.relpath(directory, root)
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            raise ValueError("%s is not inside the watched logdir %s (flag_dir %s mirrors it)"
                             % (log_dir, logdir, flag_dir))
        mirrored.append(os.path.normpath(os.path.join(os.path.abspath(flag_dir), relative)))
    return tuple(mirrored)


def _read(path: str) -> Optional[Dict[str, Any]]:
    try:
        with open(path, "rb") as f:
            content = f.read()
    except (FileNotFoundError, NotADirectoryError):
        return None  # removed between listing and opening: the experiment trains again
    try:
        raw = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ValueError("%s is not a Plateau verdict (JSON): %s" % (path, e)) from None
    if not isinstance(raw, dict):
        raise ValueError("%s is not a Plateau verdict (a JSON object)" % path)
    return raw


def verdict(log_dir: str, flag_dir: Optional[str] = None,
            logdir: Optional[str] = None) -> Optional[Verdict]:
    """The verdict of the experiment logging to ``log_dir``, or ``None`` while it trains.

    Reads the flag file Plateau keeps for the experiment (see :func:`flag_directories` for where).
    A flag of any status is returned, informational ones (``stalled``) included; use
    :func:`should_stop` to decide.
    """
    for directory in flag_directories(log_dir, flag_dir, logdir):
        for status in FLAG_STATUSES:
            path = os.path.join(directory, status.upper())
            if os.path.isfile(path):
                raw = _read(path)
                if raw is not None:
                    return Verdict(raw, path)
    return None


def should_stop(log_dir: str, statuses: Iterable[str] = STOP_STATUSES,
                flag_dir: Optional[str] = None, logdir: Optional[str] = None) -> bool:
    """Whether Plateau's verdict for the experiment logging to ``log_dir`` says stop.

    Call it once per epoch, after flushing the event writer. ``statuses`` are the statuses that
    stop the job (default: converged, target_reached, diverged, overfitting).
    """
    found = verdict(log_dir, flag_dir, logdir)
    return found is not None and found.stops(statuses)


def wait_for_verdict(log_dir: str, timeout: Optional[float] = None,
                     statuses: Iterable[str] = STOP_STATUSES, poll_interval: float = 2.0,
                     flag_dir: Optional[str] = None, logdir: Optional[str] = None,
                     clock: Callable[[], float] = time.monotonic,
                     sleep: Callable[[float], None] = time.sleep) -> Optional[Verdict]:
    """Waits until the experiment's verdict is one of ``statuses``; ``None`` at the timeout.

    For a driver script beside the training (``timeout`` in seconds; ``None`` waits for ever).
    ``clock`` and ``sleep`` can be replaced (tests drive time with them).
    """
    wanted = set(statuses)
    deadline = None if timeout is None else clock() + timeout
    while True:
        found = verdict(log_dir, flag_dir, logdir)
        if found is not None and found.status in wanted:
            return found
        if deadline is not None:
            left = deadline - clock()
            if left <= 0:
                return None
            sleep(min(poll_interval, left))
        else:
            sleep(poll_interval)


def checkpoint_path(pattern: str, step: int, epoch_offset: int = 0) -> str:
    """The checkpoint file of ``step``: ``pattern`` with ``{epoch}`` and ``{step}`` filled in.

    ``epoch_offset`` is added for ``{epoch}``: Keras' ``ModelCheckpoint`` numbers epochs from 1
    while its TensorBoard callback logs epoch ``n`` at step ``n - 1`` (so it uses 1).
    """
    return pattern.format(epoch=step + epoch_offset, step=step)
