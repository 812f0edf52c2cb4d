"""Callback data: `<action>:<token>` in at most 64 bytes; every other shape is refused."""

import pytest

from bot.conversation.incoming import Press
from bot.telegram.callbacks import MAX_BYTES, CallbackDataTooLong, format_data, parse_data
from services.messages import Action, Button, Text


@pytest.mark.parametrize("action", list(Action))
def test_every_action_survives_the_round_trip(action: Action) -> None:
    data = format_data(Button(action, "K7q2-_x", Text("label")))
    assert data == f"{action.value}:K7q2-_x"
    assert parse_data(data) == Press(action, "K7q2-_x")


def test_data_of_exactly_64_bytes_is_accepted() -> None:
    token = "t" * (MAX_BYTES - len("extend:"))
    data = format_data(Button(Action.EXTEND, token, Text("label")))
    assert len(data.encode()) == MAX_BYTES
    assert parse_data(data) == Press(Action.EXTEND, token)


def test_a_token_that_does_not_fit_is_refused_when_the_keyboard_is_built() -> None:
    with pytest.raises(CallbackDataTooLong):
        format_data(Button(Action.EXTEND, "t" * (MAX_BYTES - len("extend:") + 1), Text("x")))


@pytest.mark.parametrize("token", ["", "a b", "a:b", "ý", "a/b"])
def test_a_token_outside_the_alphabet_is_refused_when_the_keyboard_is_built(token: str) -> None:
    with pytest.raises(CallbackDataTooLong):
        format_data(Button(Action.DONE, token, Text("x")))


@pytest.mark.parametrize(
    "data",
    [
        "",
        "done",
        "done:",
        ":K7q2",
        "launch:K7q2",
        "Done:K7q2",
        "done:K7q2:extra",
        "done:K7 q2",
        "done:" + "x" * (MAX_BYTES - 4),
        "done:Kỷ",
        "done:K7q2\n",
    ],
)
def test_data_of_another_shape_is_not_a_press(data: str) -> None:
    assert parse_data(data) is None
