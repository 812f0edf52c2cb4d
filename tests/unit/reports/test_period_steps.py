"""The period a day falls in and the one before: one rule for the chat's "quý trước" and the
reports a standing duty's due date covers (`services/reporting/obligations.report_period`)."""

from datetime import date

import pytest

from reports.period import Period, PeriodKind, period_of

Q, H, Y = PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR


@pytest.mark.parametrize(
    ("kind", "day", "now", "before"),
    [
        (Q, date(2025, 5, 2), Period(Q, 2025, 2), Period(Q, 2025, 1)),
        (Q, date(2025, 1, 15), Period(Q, 2025, 1), Period(Q, 2024, 4)),
        (H, date(2025, 7, 1), Period(H, 2025, 2), Period(H, 2025, 1)),
        (H, date(2025, 6, 30), Period(H, 2025, 1), Period(H, 2024, 2)),
        (Y, date(2025, 12, 31), Period(Y, 2025), Period(Y, 2024)),
    ],
)
def test_the_period_a_day_falls_in_and_the_one_before(
    kind: PeriodKind, day: date, now: Period, before: Period
) -> None:
    assert period_of(kind, day) == now
    assert now.preceding() == before
    assert before.following() == now
