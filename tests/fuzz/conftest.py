"""The fuzzing suite: short in CI, as long as asked with DONDOC_FUZZ_SCALE.

`DONDOC_FUZZ_SCALE=1` (the default) runs within two minutes; every unit more multiplies the
generated texts and files (`DONDOC_FUZZ_SCALE=170` is about 1,000 files and 127,000 texts).
The session ends with one line of figures: cases run, crashes, over-budget, partial imports,
and the worst accepted file's time and peak memory.
"""

import os

import pytest

from tests.fuzz.tally import TALLY


def fuzz_scale() -> int:
    """How many times the CI run's cases to generate."""
    return max(1, int(os.environ.get("DONDOC_FUZZ_SCALE", "1")))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In a pytest-xdist worker: hand this worker's figures to the controller
    (`tests/conftest.py: pytest_testnodedown` adds them up and prints the line)."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["fuzz_tally"] = TALLY.as_dict()
