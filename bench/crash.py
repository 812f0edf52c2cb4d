"""The crash drill at full length: a 1,000-message run during which the dispatcher process is
killed with SIGKILL 100 times at random points (CI does 20). Prints what was lost (must be
nothing) and how many messages went out twice (at most the window, the sends a dispatcher keeps
in flight, per kill).

Run as `python bench/crash.py [--kills 100] [--window 4] [--database sqlite|postgresql]` from
the repository root; PostgreSQL uses a throwaway database on DONDOC_TEST_PG_URL.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from models.db import make_engine  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from tests.support.crash_drill import crash_run  # noqa: E402
from tests.support.throwaway import create_database, drop_database  # noqa: E402

MESSAGES = 1000


def main() -> None:
    """Run the drill and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--window", type=int, default=4)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="postgresql")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        name = None
        if options.database == "postgresql":
            name, url = create_database()
        else:
            url = f"sqlite:///{Path(folder) / 'drill.db'}"
            migrated = make_engine(url)
            upgrade(migrated)
            migrated.dispose()
        engine = make_engine(url)
        try:
            started = time.perf_counter()
            result = crash_run(
                engine,
                url,
                Path(folder) / "delivered.txt",
                count=MESSAGES,
                kills=options.kills,
                window=options.window,
            )
            elapsed = time.perf_counter() - started
        finally:
            engine.dispose()
            if name is not None:
                drop_database(name)
    missing = result.missing(MESSAGES)
    print(
        f"crash drill on {options.database}: {MESSAGES} messages, {result.kills} SIGKILLs,"
        f" window {options.window}"
    )
    print(f"lost: {len(missing)}  duplicates: {result.duplicates}  rows sent: {result.sent_rows}")
    print(f"elapsed: {elapsed:.0f} s")
    print("goal: nothing lost, at most a window of duplicates per kill")
    if missing or result.duplicates > result.kills * options.window:
        sys.exit(1)


if __name__ == "__main__":
    main()
