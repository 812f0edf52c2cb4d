"""What some tests need beyond Python (Chromium, PostgreSQL): absent, they skip with one line
saying how to enable them, except under CI=true, where an absent need fails the run."""

import os
from typing import NoReturn

import pytest


def is_ci() -> bool:
    """Whether this run is CI's (`CI=true`), where nothing may be skipped for want of a tool."""
    return os.environ.get("CI") == "true"


def missing(what: str, *, enable: str) -> NoReturn:
    """Skip the test (fail it under CI) because `what` is missing; `enable` says how to fix it."""
    reason = f"{what}: {enable}"
    if is_ci():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)
