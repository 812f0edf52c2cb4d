"""The labelled chat replies in `tests/data/` (hand-written, real-sounding), read as examples."""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tests.support.clock import HCM

DATA = Path(__file__).resolve().parents[1] / "data"
LABELLED = DATA / "intents_vi.tsv"
HELD_OUT = DATA / "intents_vi_holdout.tsv"
QUESTIONS_HELD_OUT = DATA / "intents_vi_questions_holdout.tsv"
AUDIT_HELD_OUT = DATA / "intents_vi_audit_holdout.tsv"  # issue 12's audit, after its rules
NOW = datetime(2025, 3, 3, 8, 0, tzinfo=HCM)


@dataclass(frozen=True, slots=True)
class Example:
    """One reply with its expected kind and, where the writer meant one, percent and date."""

    text: str
    kind: str
    percent: int | None
    day: date | None
    line: int


def read_examples(path: Path) -> list[Example]:
    """Every example of a `kind<TAB>percent<TAB>date<TAB>text` file (`#` lines are notes)."""
    examples = []
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        kind, percent, day, text = raw.split("\t")
        examples.append(
            Example(
                text=text,
                kind=kind,
                percent=int(percent) if percent else None,
                day=date.fromisoformat(day) if day else None,
                line=number,
            )
        )
    return examples
