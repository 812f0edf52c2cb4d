"""Zalo updates read into typed values: wrapped or bare, dates in ms or s, photos, groups."""

from datetime import UTC, datetime

from bot.zalo.updates import Event, dedupe_key, parse_message, unwrap

DOC_SAMPLE = {
    "event_name": "message.text.received",
    "message": {
        "message_id": "2d758cb5e222177a4e35",
        "date": 1750316131602,
        "from": {"id": "6ede9afa66b88fe6d6a9", "display_name": "Ted", "is_bot": False},
        "chat": {"id": "6ede9afa66b88fe6d6a9", "chat_type": "PRIVATE"},
        "text": "Xin chào",
    },
}


def test_the_documented_sample_is_read() -> None:
    message = parse_message(DOC_SAMPLE)
    assert message is not None
    assert message.event == Event.TEXT
    assert message.message_id == "2d758cb5e222177a4e35"
    assert message.chat_id == message.user_id == "6ede9afa66b88fe6d6a9"
    assert message.display_name == "Ted"
    assert message.text == "Xin chào"
    assert not message.is_group
    assert message.sent_at == datetime(2025, 6, 19, 6, 55, 31, 602000, tzinfo=UTC)


def test_dates_in_seconds_are_read_too() -> None:
    update = {**DOC_SAMPLE, "message": {**DOC_SAMPLE["message"], "date": 1750316131}}  # type: ignore[dict-item]
    message = parse_message(update)
    assert message is not None
    assert message.sent_at == datetime(2025, 6, 19, 6, 55, 31, tzinfo=UTC)


def test_wrapped_and_bare_bodies_give_the_same_update() -> None:
    assert unwrap({"ok": True, "result": DOC_SAMPLE}) == DOC_SAMPLE
    assert unwrap(DOC_SAMPLE) == DOC_SAMPLE
    assert unwrap({"ok": True, "result": {}}) is None
    assert unwrap(["not", "an", "update"]) is None


def test_a_photo_carries_its_url_and_caption() -> None:
    update = {
        "event_name": "message.image.received",
        "message": {
            "message_id": "p1",
            "from": {"id": "u1"},
            "chat": {"id": "zgr-1", "chat_type": "GROUP"},
            "photo_url": "https://photo.zalo.test/p1.jpg",
            "caption": "biên bản",
        },
    }
    message = parse_message(update)
    assert message is not None
    assert message.photo_url == "https://photo.zalo.test/p1.jpg"
    assert message.text == "biên bản"
    assert message.is_group
    assert message.chat_id == "zgr-1"


def test_an_update_without_a_sender_is_not_a_message() -> None:
    assert parse_message({"event_name": "message.text.received", "message": {"text": "x"}}) is None


def test_the_same_message_has_the_same_key() -> None:
    assert dedupe_key(DOC_SAMPLE) == dedupe_key(dict(DOC_SAMPLE)) == "m:2d758cb5e222177a4e35"
    other = {"event_name": "message.unsupported.received", "message": {}}
    assert dedupe_key(other).startswith("h:")
    assert dedupe_key(other) == dedupe_key(dict(other))
