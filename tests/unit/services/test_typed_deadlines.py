"""A typed deadline already past is refused, the refusal naming the day in the reader's way."""

from datetime import UTC, date, datetime

import pytest

from services.messages import render_lines, say
from services.tracking.typed_deadlines import DeadlinePassed, read_deadline


def test_a_past_deadline_is_refused_with_its_day_written_for_the_reader() -> None:
    with pytest.raises(DeadlinePassed) as refused:
        read_deadline("10/3/2025", now=datetime(2025, 4, 1, 9, tzinfo=UTC))

    assert refused.value.params["date"] == date(2025, 3, 10)
    reply = say(refused.value.msgid, **refused.value.params)
    assert render_lines("en", reply) == (
        "The deadline “10/3/2025” is 10 Mar 2025, which has already passed."
    )
    assert "10/03/2025" in render_lines("vi", reply)
