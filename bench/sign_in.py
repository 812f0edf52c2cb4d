"""Web sign-in timing: does the time a refusal takes tell whether a name exists?

Times `sign_in_with_password` on a fresh SQLite database for a known name with a wrong password,
an unknown name, an officer without a password, and a good sign-in, each from its own address
(so that no hold cuts a run short). Prints the median and spread of each, and the ratio of the
slowest refusal to the quickest: 1.0 means no difference to measure.

    .venv/bin/python bench/sign_in.py [--quick]
"""

import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session

from models.db import make_engine
from models.migrate import upgrade
from services.errors import DomainError
from services.people.officers import add_officer
from services.people.organizations import create_organization
from services.people.units import add_unit
from services.people.web_auth import set_password, sign_in_with_password
from services.people.web_sessions import close_session
from tests.support.clock import FakeClock
from tests.support.ward import the_office

PASSWORD = "mat-khau-thu"


def timed(runs: int, attempt: Callable[[int], None]) -> list[float]:
    """Milliseconds each of `runs` attempts took."""
    times = []
    for number in range(runs):
        start = time.perf_counter()
        attempt(number)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main(runs: int) -> None:
    """Measure and print."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(engine)
        clock = FakeClock(datetime(2025, 3, 3, 1, 0, tzinfo=UTC))
        with Session(engine, expire_on_commit=False) as session:
            org = create_organization(session, clock, "Phường Bắc Sơn")
            office = the_office(session, clock, org)
            add_unit(session, office, "Văn phòng")
            add_officer(session, clock, office, "Trần Thị Lan", unit_names=("Văn phòng",))
            add_officer(session, clock, office, "Lê Văn Nam", unit_names=("Văn phòng",))
            set_password(session, office, "Trần Thị Lan", PASSWORD)
            assert org.id is not None
            org_id = org.id

            def attempt(name: str, password: str) -> Callable[[int], None]:
                def run(number: int) -> None:
                    try:
                        signed = sign_in_with_password(
                            session,
                            clock,
                            organization_id=org_id,
                            name=name,
                            password=password,
                            address=f"10.{number // 65536}.{number // 256 % 256}.{number % 256}",
                        )
                    except DomainError:
                        return
                    close_session(session, signed.token)

                return run

            cases = {
                "known name, wrong password": attempt("Trần Thị Lan", "doan-bua"),
                "unknown name": attempt("Không Có Ai", "doan-bua"),
                "officer without a password": attempt("Lê Văn Nam", "doan-bua"),
                "good sign-in": attempt("Trần Thị Lan", PASSWORD),
            }
            cases["known name, wrong password"](10_000)  # warm up: the dummy hash, the cache
            results = {label: timed(runs, run) for label, run in cases.items()}
        engine.dispose()
    for label, times in results.items():
        print(
            f"{label:28} median {statistics.median(times):6.1f} ms"
            f"  (min {min(times):5.1f}, max {max(times):5.1f}, n={len(times)})"
        )
    refusals = [statistics.median(t) for label, t in results.items() if label != "good sign-in"]
    print(f"slowest / quickest refusal: {max(refusals) / min(refusals):.2f}")


if __name__ == "__main__":
    logging.disable(logging.WARNING)  # each refusal logs a line
    main(runs=10 if "--quick" in sys.argv else 40)
