"""Inline keyboards: the reply's rows, labels in the reader's language, data as callbacks."""

from bot.telegram.handlers import BUTTON_UNUSABLE
from bot.telegram.keyboards import inline_keyboard
from locales import translate
from services.messages import Action, Button, Reply, Text


def test_rows_keep_their_order_and_labels_are_rendered_for_the_locale() -> None:
    label = Text(BUTTON_UNUSABLE)
    reply = Reply(
        lines=(Text("x"),),
        buttons=(
            (
                Button(Action.DONE, "a1", label),
                Button(Action.BLOCKER, "a1", Text("Blocked {n}", {"n": 2})),
            ),
            (),
            (Button(Action.SNOOZE, "b2", label),),
        ),
    )
    for locale in ("vi", "en"):
        markup = inline_keyboard(reply, locale)
        assert markup is not None
        rows = markup.inline_keyboard
        assert [[b.callback_data for b in row] for row in rows] == [
            ["done:a1", "blocker:a1"],
            ["snooze:b2"],
        ]
        assert rows[0][0].text == translate(locale, BUTTON_UNUSABLE)
        assert rows[0][1].text == "Blocked 2"
    assert inline_keyboard(reply, "vi") != inline_keyboard(reply, "en")


def test_a_reply_without_buttons_has_no_keyboard() -> None:
    assert inline_keyboard(Reply(lines=(Text("x"),)), "vi") is None
    assert inline_keyboard(Reply(lines=(Text("x"),), buttons=((),)), "vi") is None
