"""Numbered choices: a reminder's buttons as text, and answers read back."""

import pytest

from bot.zalo.choices import AskBack, Choice, choices_of, pick, render
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


WHICH = Reply(
    lines=(
        Text("Which task? Reply with its code:"),
        Text("• {code}: {title}", {"code": "3", "title": "Phân tích"}),
        Text("• {code}: {title}", {"code": "4", "title": "Xây dựng"}),
    ),
    buttons=(
        (Button(Action.CHOOSE, "a", Text("Task {code}", {"code": "3"})),),
        (Button(Action.CHOOSE, "b", Text("Task {code}", {"code": "4"})),),
    ),
)


def test_a_which_task_list_offers_codes_not_numbers() -> None:
    assert render("en", WHICH) == "Which task? Reply with its code:\n• 3: Phân tích\n• 4: Xây dựng"


@pytest.mark.parametrize(("answer", "token"), [("3", "a"), ("4", "b"), ("việc 4", "b")])
def test_a_number_typed_under_a_which_list_is_the_code_it_shows(answer: str, token: str) -> None:
    choice = pick(answer, choices_of("en", WHICH))
    assert isinstance(choice, Choice)
    assert choice.token == token


def test_a_which_list_position_is_never_read_as_a_choice() -> None:
    assert pick("1", choices_of("en", WHICH)) is None
    assert pick("2", choices_of("en", WHICH)) is None


DIGEST = Reply(
    lines=(Text("Tasks 1 and 2"),),
    buttons=(
        (
            Button(Action.DONE, "t1", Text("✅ {code}", {"code": "1"})),
            Button(Action.PROGRESS, "t1", Text("📊 {code}", {"code": "1"})),
        ),
        (
            Button(Action.DONE, "t2", Text("✅ {code}", {"code": "2"})),
            Button(Action.PROGRESS, "t2", Text("📊 {code}", {"code": "2"})),
        ),
    ),
)


def test_a_number_that_is_both_a_choice_and_a_code_is_asked_back() -> None:
    asked = pick("2", choices_of("en", DIGEST))  # choice 2 is "📊 1"; task 2 is listed too
    assert isinstance(asked, AskBack)
    assert asked.choice.number == 2
    explicit = pick("số 2", choices_of("en", DIGEST))
    assert isinstance(explicit, Choice)
    assert (explicit.action, explicit.token) == (Action.PROGRESS, "t1")
    same = pick("1", choices_of("en", DIGEST))  # choice 1 is "✅ 1": one meaning
    assert isinstance(same, Choice)
    assert same.token == "t1"


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
    assert isinstance(choice, Choice)
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
