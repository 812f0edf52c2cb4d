"""Numbered choices: a reminder's buttons as text, and answers read back."""

import pytest

from bot.zalo.choices import Choice, choices_of, pick, render
from services.messages import Action, Button, Reply, Text

REMINDER = Reply(
    lines=(Text("Task {code} is due today.", {"code": "2.1"}),),
    buttons=(
        (
            Button(Action.DONE, "tok1234567", Text("✅ Done")),
            Button(Action.PROGRESS, "tok1234567", Text("📊 Progress")),
            Button(Action.BLOCKER, "tok1234567", Text("🚧 Blocker")),
        ),
        (
            Button(Action.EXTEND, "tok1234567", Text("📅 Extension")),
            Button(Action.SNOOZE, "tok1234567", Text("⏰ Later")),
        ),
    ),
)


def test_buttons_become_numbered_choices_row_by_row() -> None:
    text = render("vi", REMINDER)
    assert "1 ✅ Xong · 2 📊 Tiến độ · 3 🚧 Vướng mắc\n4 📅 Gia hạn · 5 ⏰ Nhắc sau" in text
    assert text.startswith("Task 2.1 is due today.")  # no vi translation of this test msgid


def test_labels_that_carry_their_number_are_not_numbered_twice() -> None:
    reply = Reply(
        lines=(Text("Which task?"),),
        buttons=(
            (Button(Action.CHOOSE, "a", Text("{n}. {code}", {"n": 1, "code": "2.1"})),),
            (Button(Action.CHOOSE, "b", Text("{n}. {code}", {"n": 2, "code": "3.4"})),),
        ),
    )
    assert "\n1. 2.1\n2. 3.4\n" in render("en", reply)
    choice = pick("2", choices_of("en", reply))
    assert choice is not None
    assert choice.token == "b"


def test_a_list_that_numbers_itself_is_not_repeated_under_it() -> None:
    reply = Reply(
        lines=(
            Text("Which task? Reply with its number:"),
            Text("{n}. {code} {title}", {"n": 1, "code": "2.1", "title": "Lễ hội"}),
            Text("{n}. {code} {title}", {"n": 2, "code": "3.4", "title": "Báo cáo"}),
        ),
        buttons=(
            (Button(Action.CHOOSE, "a", Text("{n}. {code}", {"n": 1, "code": "2.1"})),),
            (Button(Action.CHOOSE, "b", Text("{n}. {code}", {"n": 2, "code": "3.4"})),),
        ),
    )
    assert render("en", reply) == (
        "Which task? Reply with its number:\n1. 2.1 Lễ hội\n2. 3.4 Báo cáo"
    )
    choice = pick("2", choices_of("en", reply))
    assert choice is not None
    assert choice.token == "b"


def test_a_reply_without_buttons_is_its_lines() -> None:
    assert render("en", Reply(lines=(Text("Hello"),))) == "Hello"


@pytest.mark.parametrize(
    ("answer", "action"),
    [
        ("1", Action.DONE),
        (" 1 ", Action.DONE),
        ("1.", Action.DONE),
        ("số 1", Action.DONE),
        ("So 3", Action.BLOCKER),
        ("#2", Action.PROGRESS),
        ("xong", Action.DONE),
        ("Xong!", Action.DONE),
        ("hoàn thành", Action.DONE),
        ("vướng mắc", Action.BLOCKER),
        ("Xin gia hạn", Action.EXTEND),
        ("5", Action.SNOOZE),
    ],
)
def test_answers_pick_a_choice(answer: str, action: Action) -> None:
    choice = pick(answer, choices_of("vi", REMINDER))
    assert choice is not None
    assert choice.action is action
    assert choice.token == "tok1234567"


@pytest.mark.parametrize(
    "answer", ["6", "0", "xong rồi ạ, em gửi báo cáo", "vướng: chưa có kinh phí", ""]
)
def test_other_texts_are_not_answers(answer: str) -> None:
    assert pick(answer, choices_of("vi", REMINDER)) is None


def test_no_prompt_no_answer() -> None:
    assert pick("1", []) is None


def test_choices_round_trip_as_json() -> None:
    choices = choices_of("en", REMINDER)
    assert [Choice.from_json(choice.to_json()) for choice in choices] == choices
    assert [choice.label for choice in choices][:2] == ["✅ Done", "📊 Progress"]
