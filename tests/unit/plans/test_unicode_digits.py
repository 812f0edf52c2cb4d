"""Characters Python calls digits but `int()` cannot read (superscripts, circled numbers, Brahmi
numerals) are words like any other: no reader of dates, deadlines or codes raises on them. Found
by the long fuzz campaign ("𑁒" made `parse_relative` raise ValueError)."""

from datetime import UTC, datetime

import pytest

from bot.conversation.intents import Intent, classify
from plans.deadlines import Deadline, parse_deadline
from plans.relative import parse_relative

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
DIGITS_INT_CANNOT_READ = ["𑁒", "²", "①", "𝟙²"]


@pytest.mark.parametrize("digit", DIGITS_INT_CANNOT_READ)
@pytest.mark.parametrize(
    "template", ["{d}", "{d} ngày nữa", "hoãn {d} ngày", "{d}/6", "ngày {d}/{d}/2025"]
)
def test_replies_with_such_digits_are_read_or_not_understood(digit: str, template: str) -> None:
    assert digit.isdigit()
    text = template.format(d=digit)
    found = parse_relative(text, now=NOW)  # None, or what NFKC makes of it ("𝟙²" is "12")
    assert found is None or found.year == 2025
    assert isinstance(classify(text, now=NOW), Intent)


@pytest.mark.parametrize("digit", DIGITS_INT_CANNOT_READ)
@pytest.mark.parametrize("template", ["Quý {d}/2025", "Năm {d}", "Trước ngày {d}/12/2025"])
def test_deadlines_with_such_digits_are_read_or_flagged(digit: str, template: str) -> None:
    assert isinstance(parse_deadline(template.format(d=digit), plan_years=(2025,)), Deadline)
