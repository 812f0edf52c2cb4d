"""One replica of the province bench: `python -m tests.support.province_replica --start ISO
--origin EPOCH --slow SECONDS --factor F`.

It does what `dondoc run` does once its command line is read (settings from the environment,
the database, `dondoc.app.serve` with every configured channel and the scheduler), on a demo
clock that every replica shares and that a restarted replica picks up where the week stands:
simulated time reads `start` at the real instant `origin`, runs at real speed for `slow`
seconds (the 07:30 digests go out at the platform's real rate), then `factor` times faster.
"""

import argparse
import asyncio
import sys
import time
from datetime import datetime, timedelta

from dondoc.app import open_database, serve
from dondoc.settings import Settings
from tests.support.clock import HCM


class WeekClock:
    """Simulated time shared by the replicas (see the module's docstring)."""

    def __init__(self, start: datetime, origin: float, slow: float, factor: float) -> None:
        self.start = start
        self.origin = origin
        self.slow = slow
        self.factor = factor
        self.zone = HCM

    def now(self) -> datetime:
        """The simulated instant."""
        elapsed = time.time() - self.origin
        if elapsed > self.slow:
            elapsed = self.slow + (elapsed - self.slow) * self.factor
        return self.start + timedelta(seconds=elapsed)


def main() -> None:
    """Serve until killed."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.province_replica")
    parser.add_argument("--start", required=True)
    parser.add_argument("--origin", type=float, required=True)
    parser.add_argument("--slow", type=float, required=True)
    parser.add_argument("--factor", type=float, required=True)
    options = parser.parse_args()
    settings = Settings()
    clock = WeekClock(
        datetime.fromisoformat(options.start), options.origin, options.slow, options.factor
    )
    engine = open_database(settings)
    assert settings.secret_key is not None

    def ready(address: str) -> None:
        sys.stdout.write(f"ready {address}\n")
        sys.stdout.flush()

    asyncio.run(
        serve(
            settings,
            engine,
            clock=clock,
            secret_key=settings.secret_key.get_secret_value(),
            on_ready=ready,
            scan_seconds=1.0,
        )
    )


if __name__ == "__main__":
    main()
