"""``python3 -m plateau_client LOG_DIR``: print the experiment's verdict, for shell scripts.

Exit codes: 0 the verdict says stop, 1 still training (or an informational status), 2 bad usage
or an unreadable flag. ``--wait SECONDS`` waits for a stop verdict that long (``--wait 0``: for
ever); ``--json`` prints the whole verdict.
"""

import argparse
import json
import sys
from typing import List, Optional

from ._flags import STOP_STATUSES, verdict, wait_for_verdict


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="plateau-verdict", description=__doc__.splitlines()[0])
    parser.add_argument("log_dir", help="the job's log directory (or one of its train/validation directories)")
    parser.add_argument("--flag-dir", help="Plateau's --flag-dir, if it writes flags there")
    parser.add_argument("--logdir", help="the logdir Plateau watches (with --flag-dir)")
    parser.add_argument("--statuses", default=",".join(STOP_STATUSES),
                        help="statuses that mean stop (default: %(default)s)")
    parser.add_argument("--wait", type=float, metavar="SECONDS",
                        help="wait for a stop verdict (0: for ever)")
    parser.add_argument("--json", action="store_true", help="print the whole verdict as JSON")
    args = parser.parse_args(argv)
    statuses = tuple(s.strip() for s in args.statuses.split(",") if s.strip())
    try:
        if args.wait is not None:
            found = wait_for_verdict(args.log_dir, None if args.wait == 0 else args.wait, statuses,
                                     flag_dir=args.flag_dir, logdir=args.logdir)
        else:
            found = verdict(args.log_dir, args.flag_dir, args.logdir)
    except ValueError as e:
        print("plateau-verdict: %s" % e, file=sys.stderr)
        return 2
    if found is None:
        print("training")
        return 1
    print(json.dumps(found.raw, indent=2) if args.json else str(found))
    return 0 if found.stops(statuses) else 1


if __name__ == "__main__":
    sys.exit(main())
