"""A digest as a phone shows it: the most urgent task's actions labelled, the others in a
"Chọn việc" list that opens each with its own buttons, never more rows than a chat takes."""

import json
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from locales import translate
from services.messages import (
    MAX_BUTTON_ROWS,
    Action,
    Digest,
    DigestItem,
    ItemRole,
    Reply,
    render_digest,
    render_lines,
    render_text,
    shorten,
)

LONG_TITLE = (
    "Tổng kết Chương trình CCHC nhà nước phường Bắc Sơn giai đoạn 2022 - 2026, định hướng đến "
    "năm 2031 theo chỉ đạo của thành phố"
)


def _item(code: str, *, days: int = 2, title: str = "Báo cáo") -> DigestItem:
    return DigestItem(
        kind="overdue",
        role=ItemRole.LEAD,
        task=code,
        title=title,
        due=date(2026, 12, 1),
        days=days,
        token=f"tok{code:0>7}",
    )


def _labels(items: list[DigestItem]) -> list[list[str]]:
    reply = render_digest(
        Digest("2026-12-04T00:30:00+00:00", tuple(items)), name="Minh", role="officer"
    )
    return [[render_text("vi", b.label) for b in row] for row in reply.buttons]


def test_one_task_gets_its_five_labelled_buttons() -> None:
    labels = _labels([_item("7")])

    assert [label for row in labels for label in row] == [
        "✅ Xong",
        "📊 Tiến độ",
        "🚧 Vướng mắc",
        "📅 Gia hạn",
        "⏰ Nhắc sau",
    ]


def test_several_tasks_label_the_first_and_list_the_others() -> None:
    items = [_item("7", days=5), _item("6", days=3, title=LONG_TITLE), _item("4", days=0)]

    reply = render_digest(Digest("m", tuple(items)), name="Minh", role="officer")
    labels = [[render_text("vi", b.label) for b in row] for row in reply.buttons]

    assert labels[0] == ["✅ Xong", "📊 Tiến độ", "🚧 Vướng mắc"]
    assert labels[1] == ["📅 Gia hạn", "⏰ Nhắc sau"]
    assert labels[2] == ["📋 6. Tổng kết Chương trình CCHC nhà nước…"]
    assert labels[3] == ["📋 4. Báo cáo"]
    assert [b.action for b in reply.buttons[2]] == [Action.OPEN]
    assert reply.buttons[2][0].token == "tok0000006"
    assert all(b.token == "tok0000007" for row in reply.buttons[:2] for b in row)
    text = "\n".join(render_text("vi", line) for line in reply.lines)
    assert "dành cho việc 7" in text


def test_many_tasks_stay_within_the_rows_a_chat_takes() -> None:
    items = [_item(str(n), days=20 - n) for n in range(1, 13)]

    reply = render_digest(Digest("m", tuple(items)), name="Minh", role="officer")

    assert len(reply.buttons) == MAX_BUTTON_ROWS
    assert max(len(row) for row in reply.buttons) <= 3
    text = "\n".join(render_text("vi", line) for line in reply.lines)
    listed = len(reply.buttons) - 2
    assert (
        translate("vi", "And {count} more: write /viec to see them all.", count=11 - listed)
        in text
    )


def test_titles_are_cut_between_words() -> None:
    assert shorten(LONG_TITLE, 40) == "Tổng kết Chương trình CCHC nhà nước…"
    assert shorten("Báo cáo", 40) == "Báo cáo"
    assert shorten("  Báo\n cáo  ", 40) == "Báo cáo"
    assert len(shorten(LONG_TITLE, 120)) <= 120
    assert shorten(LONG_TITLE, 120).endswith("thành…") is False


@given(st.text(alphabet=" \t\n\u00a0\u2003\u200b\u3000\x85\x1cab,ệ-", max_size=14))
def test_a_title_already_on_one_line_is_kept_and_any_other_is_put_on_one(text: str) -> None:
    one_line = " ".join(text.split())
    assert shorten(text, 10) == shorten(one_line, 10)
    if len(one_line) <= 10:
        assert shorten(text, 10) == one_line


def test_a_digest_writes_its_dates_as_the_readers_locale_does() -> None:
    item = DigestItem(
        kind="reminder", role=ItemRole.LEAD, task="2", title="Lễ hội", due=date(2025, 3, 10)
    )

    reply = render_digest(Digest("m", (item,)), name="Minh", role="officer")
    stored = Reply.from_json(json.loads(json.dumps(reply.to_json())))

    for shown in (reply, stored):
        assert "10 Mar 2025" in render_lines("en", shown)
        assert "10/03/2025" in render_lines("vi", shown)
