"""The golden simulations: seed 000 in 2025, seed 001 in 2021-2025, message by message."""

import json

import pytest

from tests.support.simulations import GOLDEN, RUNS, by_year, dump


@pytest.mark.slow
@pytest.mark.parametrize("seed", sorted(RUNS))
def test_simulation_matches_the_reviewed_golden_files(seed: str) -> None:
    produced = by_year(seed)
    committed = sorted(path.stem for path in GOLDEN.glob(f"{seed}-*.json"))
    assert sorted(produced) == committed
    for name, messages in produced.items():
        expected = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))
        for index, (got, want) in enumerate(zip(messages, expected, strict=False)):
            assert got == want, f"{name}.json message {index}"
        assert len(messages) == len(expected), name
        assert dump(messages) == (GOLDEN / f"{name}.json").read_text("utf-8")
