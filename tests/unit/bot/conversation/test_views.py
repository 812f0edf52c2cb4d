"""Lists fit a phone: a page at a time, with buttons only where there is another page."""

from datetime import date

from bot.conversation.views import item_line, overdue_lines, page_of
from models import TaskStatus
from services.messages import Action, Text
from services.tracking.queries import Item

TODAY = date(2025, 3, 3)


def _item(code: str, due: date | None, status: TaskStatus = TaskStatus.OPEN) -> Item:
    return Item(
        occurrence_id=int(code),
        code=code,
        title=f"Việc {code}",
        due=due,
        status=status,
        progress=0,
        units=("Văn hóa - Xã hội",),
        officers=("Phạm Văn Minh",),
        reason="thiếu kinh phí" if status is TaskStatus.BLOCKED else None,
    )


def test_pages_turn_both_ways() -> None:
    lines = [Text("line {n}", {"n": n}) for n in range(20)]
    issued: list[int] = []

    def turn(page: int) -> str:
        issued.append(page)
        return f"tok{page}"

    first = page_of(Text("title"), lines, 0, turn=turn, empty=Text("none"))
    assert [b.token for b in first.all_buttons()] == ["tok1"]
    middle = page_of(Text("title"), lines, 1, turn=turn, empty=Text("none"), edit_of="9")
    assert [b.action for b in middle.all_buttons()] == [Action.PAGE, Action.PAGE]
    assert middle.edit_of == "9"
    assert middle.lines[1].params == {"page": 2, "pages": 3}
    last = page_of(Text("title"), lines, 7, turn=turn, empty=Text("none"))
    assert [line.params["n"] for line in last.lines[2:]] == [16, 17, 18, 19]


def test_a_short_or_empty_list_has_no_buttons() -> None:
    short = page_of(Text("t"), [Text("a")], 0, turn=str, empty=Text("none"))
    assert short.buttons == ()
    assert len(short.lines) == 2
    empty = page_of(Text("t"), [], 0, turn=str, empty=Text("none"))
    assert [line.msgid for line in empty.lines] == ["t", "none"]


def test_item_lines_say_what_matters_now() -> None:
    assert item_line(_item("1", date(2025, 2, 28)), TODAY).params["days"] == 3
    assert "due" in item_line(_item("2", date(2025, 3, 9)), TODAY).msgid
    assert item_line(_item("3", None, TaskStatus.BLOCKED), TODAY).params["reason"] == (
        "thiếu kinh phí"
    )


def test_overdue_is_grouped_by_unit() -> None:
    lines = overdue_lines([_item("1", date(2025, 2, 20)), _item("2", date(2025, 2, 27))], TODAY)
    assert lines[0].params == {"unit": "Văn hóa - Xã hội", "count": 2}
    assert [line.params["days"] for line in lines[1:]] == [11, 4]
