"""The conversation layer asks `services` for everything that touches data: it holds no SQL."""

import re
from pathlib import Path

import pytest

LAYER = Path(__file__).resolve().parents[4] / "bot" / "conversation"
SQL = re.compile(
    r"\bselect\(|\.exec\(|\.execute\(|\bcol\(|from sqlmodel import .*\bselect\b|sqlalchemy\.sql"
)


@pytest.mark.parametrize("module", sorted(LAYER.glob("*.py")), ids=lambda path: path.name)
def test_the_conversation_layer_writes_no_sql(module: Path) -> None:
    assert not SQL.search(module.read_text("utf-8")), module.name


def test_the_layer_classifies_a_message_once_per_turn() -> None:
    calls = [
        path.name
        for path in LAYER.glob("*.py")
        for _ in re.finditer(r"\bclassify\(", path.read_text("utf-8"))
        if path.name != "intents.py"
    ]
    assert calls == ["engine.py"]
