"""plateau-client: the training side of Plateau.

Plateau watches a TensorBoard logdir and writes a flag file in an experiment's directory when it
has converged, reached its target, diverged or overfits; the flag names the checkpoint to keep.
This package reads it, with nothing but the standard library:

    import plateau_client
    for epoch in range(max_epochs):
        ...; writer.flush()
        if plateau_client.should_stop(log_dir):
            best = plateau_client.verdict(log_dir).best_step   # the checkpoint to keep
            break

Callbacks: ``plateau_client.keras.StopOnPlateau`` and ``plateau_client.lightning.StopOnPlateau``
(Keras and Lightning are imported only when those are used).
"""

from ._flags import (
    FLAG_DIR_VARIABLE,
    LOGDIR_VARIABLE,
    STOP_STATUSES,
    Verdict,
    checkpoint_path,
    flag_directories,
    should_stop,
    verdict,
    wait_for_verdict,
)

__version__ = "0.1.0"

__all__ = [
    "FLAG_DIR_VARIABLE",
    "LOGDIR_VARIABLE",
    "STOP_STATUSES",
    "Verdict",
    "checkpoint_path",
    "flag_directories",
    "should_stop",
    "verdict",
    "wait_for_verdict",
]
