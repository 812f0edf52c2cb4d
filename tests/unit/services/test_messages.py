"""The typed message values: the task buttons are defined once, and payloads read back typed."""

import json
from datetime import UTC, date, datetime, time

import pytest

from services.messages import (
    Action,
    Digest,
    ItemRole,
    Reply,
    Text,
    render_lines,
    render_text,
    say,
    task_buttons,
    undo_button,
)
from tests.support.clock import HCM


def test_task_buttons_offer_the_five_actions_on_two_rows() -> None:
    rows = task_buttons("abcdefghij")
    assert [len(row) for row in rows] == [3, 2]
    assert [b.action for row in rows for b in row] == [
        Action.DONE,
        Action.PROGRESS,
        Action.BLOCKER,
        Action.EXTEND,
        Action.SNOOZE,
    ]
    assert {b.token for row in rows for b in row} == {"abcdefghij"}


def test_task_buttons_for_one_of_several_tasks_name_its_code() -> None:
    (row,) = task_buttons("abcdefghij", code="2.1")
    assert [b.label.params for b in row] == [{"code": "2.1"}] * 5


def test_a_reply_survives_its_json_form() -> None:
    reply = Reply(lines=(Text("Hello {name}", {"name": "Minh"}),), buttons=((undo_button("t"),),))
    assert Reply.from_json(reply.to_json()) == reply
    assert reply.tokens() == ("t",)


def test_the_undo_label_starts_with_the_undo_arrow() -> None:
    assert undo_button("t").label.msgid.startswith("↩️")


def test_a_digest_payload_reads_back_typed() -> None:
    digest = Digest.from_json(
        {
            "moment": "2025-03-03T01:00:00+00:00",
            "items": [
                {"kind": "due", "task": "2", "title": "Lễ hội", "due": "2025-03-10", "days": 7,
                 "role": "lead", "token": "abcdefghij"},
                {"kind": "summary", "task": None, "role": "chair", "open": 3,
                 "overdue_codes": ["1", "4"]},
            ],
        }
    )  # fmt: skip
    first, summary = digest.items
    assert (first.task, first.due, first.days, first.token) == (
        "2",
        date(2025, 3, 10),
        7,
        "abcdefghij",
    )
    assert summary.role is ItemRole.CHAIR
    assert summary.counts is not None
    assert (summary.counts.open, summary.counts.overdue_codes) == (3, ("1", "4"))


def test_a_day_param_survives_the_json_form_and_is_written_in_each_readers_locale() -> None:
    reply = say(
        "The deadline “{phrase}” is {date}, which has already passed.",
        phrase="10/3",
        date=date(2025, 3, 10),
    )

    data = reply.to_json()
    assert data["lines"] == [
        {
            "msgid": "The deadline “{phrase}” is {date}, which has already passed.",
            "params": {"phrase": "10/3", "date": {"day": "2025-03-10"}},
        }
    ]
    back = Reply.from_json(json.loads(json.dumps(data)))
    assert back == reply
    assert "10 Mar 2025" in render_lines("en", back)
    assert "10/03/2025" in render_lines("vi", back)


def test_a_stored_payload_with_a_written_date_renders_as_it_was_written() -> None:
    stored = {
        "lines": [
            {
                "msgid": "Task {code} is now due {due}.",
                "params": {"code": "7", "due": "10/03/2025"},
            }
        ]
    }

    reply = Reply.from_json(stored)

    assert reply.lines[0].params["due"] == "10/03/2025"
    assert render_lines("en", reply) == "Task 7 is now due 10/03/2025."


def test_a_moment_param_survives_the_json_form_and_is_written_in_each_readers_locale() -> None:
    at = datetime(2025, 12, 31, 0, 30, tzinfo=UTC).astimezone(HCM)  # 07:30 in Hà Nội
    reply = say("⏰ I will remind you about task {code} again on {when}.", code="7", when=at)

    data = reply.to_json()
    assert data["lines"] == [
        {
            "msgid": "⏰ I will remind you about task {code} again on {when}.",
            "params": {"code": "7", "when": {"moment": "2025-12-31T07:30:00+07:00"}},
        }
    ]
    back = Reply.from_json(json.loads(json.dumps(data)))
    assert back == reply
    assert render_lines("en", back).endswith(" again on 31 Dec 2025, 07:30.")
    assert render_lines("vi", back) == "⏰ Tôi sẽ nhắc lại việc 7 lúc 07:30 31/12/2025."


def test_a_time_of_day_param_survives_the_json_form() -> None:
    reply = say(
        "Task {code} was already recorded as done at {time} today; nothing changed.",
        code="7",
        time=time(7, 5),
    )

    back = Reply.from_json(json.loads(json.dumps(reply.to_json())))

    assert back == reply
    assert "at 07:05 today" in render_lines("en", back)
    assert "lúc 07:05 hôm nay" in render_lines("vi", back)


def test_a_stored_payload_with_a_written_moment_renders_as_it_was_written() -> None:
    stored = {
        "lines": [
            {
                "msgid": "⏰ I will remind you about task {code} again on {when}.",
                "params": {"code": "7", "when": "07:30 31/12/2025"},
            }
        ]
    }

    reply = Reply.from_json(stored)

    assert reply.lines[0].params["when"] == "07:30 31/12/2025"
    assert render_lines("vi", reply) == "⏰ Tôi sẽ nhắc lại việc 7 lúc 07:30 31/12/2025."


def test_a_naive_moment_is_refused() -> None:
    naive = datetime(2025, 3, 10, 9, tzinfo=UTC).replace(tzinfo=None)
    text = Text("Task {code} is now due {due}.", {"code": "7", "due": naive})

    with pytest.raises(TypeError, match="aware"):
        text.to_json()
    with pytest.raises(TypeError, match="aware"):
        render_text("en", text)
