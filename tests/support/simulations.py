"""The golden simulations: which plan, over which days, split into which files.

Regenerate (after reading the difference line by line): `python -m tests.support.simulations`.
"""

import json
from datetime import date
from pathlib import Path

from jobs.simulation import simulate
from tests.support.clock import HCM

HERE = Path(__file__).resolve()
GOLDEN = HERE.parents[1] / "golden" / "simulations"
SEEDS = HERE.parents[2] / "tests" / "data" / "seeds"
RUNS = {
    "000": (date(2025, 1, 1), date(2025, 12, 31)),
    "001": (date(2021, 1, 1), date(2025, 12, 31)),
}


def seed_path(seed: str) -> Path:
    """The seed plan file."""
    return next(SEEDS.glob(f"{seed}_*.txt"))


def by_year(seed: str) -> dict[str, list[dict[str, object]]]:
    """The simulation of `seed` as JSON, one list per year: `{"000-2025": [...]}`."""
    start, end = RUNS[seed]
    years: dict[str, list[dict[str, object]]] = {}
    for message in simulate(seed_path(seed), start=start, end=end, zone=HCM):
        data = message.to_json()
        years.setdefault(f"{seed}-{str(data['at'])[:4]}", []).append(data)
    return years


def dump(messages: list[dict[str, object]]) -> str:
    """The committed form: one message per line, so a difference reads message by message."""
    lines = (json.dumps(message, ensure_ascii=False) for message in messages)
    return "[\n" + ",\n".join(lines) + "\n]\n"


if __name__ == "__main__":
    for seed in RUNS:
        for name, messages in by_year(seed).items():
            (GOLDEN / f"{name}.json").write_text(dump(messages), encoding="utf-8")
