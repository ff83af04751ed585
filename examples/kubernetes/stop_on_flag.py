"""The training container's side: stop when Plateau's flag file appears.

Call `plateau_verdict(log_dir)` after each epoch (after flushing the TensorBoard writer). It
returns the verdict (a dict: status, best_step, best_value, reason ...) once the experiment has
converged, reached its target, diverged or overfits, else None. `log_dir` is the experiment's
directory: the one holding the run, or the parent of its train/validation directories.
"""
import json
import os

FLAGS = ("CONVERGED", "TARGET_REACHED", "DIVERGED", "OVERFITTING")


def plateau_verdict(log_dir):
    for name in FLAGS:
        path = os.path.join(log_dir, name)
        if os.path.exists(path):
            with open(path) as f:
                return json.load(f)  # written atomically: never half a file
    return None


if __name__ == "__main__":
    import sys
    verdict = plateau_verdict(sys.argv[1] if len(sys.argv) > 1 else ".")
    if verdict:
        print(f"{verdict['status']}: keep step {verdict['best_step']} ({verdict['reason']})")
        sys.exit(0)
    print("still training")
    sys.exit(1)
