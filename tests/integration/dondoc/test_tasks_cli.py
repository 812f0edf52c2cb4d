"""`dondoc tasks`: a task given by hand with a deadline phrase, closed by one unit, re-dated,
cancelled and reopened; every step in the history, through the console."""

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from dondoc.cli import build_cli
from models import (
    Channel,
    EventKind,
    Occurrence,
    Officer,
    Outbox,
    Plan,
    Share,
    TaskEvent,
    TaskStatus,
)
from models.db import make_engine
from services.messages import Reply, render_text
from tests.conftest import DATABASES
from tests.support.clock import HCM
from tests.support.databases import PostgresTemplate

VH = "Công chức Văn hóa - Xã hội"
DC = "Công chức Địa chính - Xây dựng"
VP = "Văn phòng HĐND và UBND"


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each kind."""
    if request.param == "postgresql":
        template: PostgresTemplate = request.getfixturevalue("pg_template")
        with template.empty() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'dondoc.db'}"


def _run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        build_cli("vi"),
        list(args),
        env={"DONDOC_DATABASE_URL": url, "DONDOC_LOCALE": "vi"},
        catch_exceptions=False,
    )
    return result.exit_code, result.stdout, result.stderr


def _ward(url: str) -> None:
    for args in (
        ("org", "create", "Phường Bắc Sơn"),
        ("units", "add", VH, "--alias", "CCVHXH"),
        ("units", "add", DC),
        ("units", "add", VP),
        ("officers", "add", "--name", "Phạm Văn Minh", "--unit", VH, "--role", "officer"),
        ("officers", "add", "--name", "Đỗ Quang Tuấn", "--unit", DC, "--role", "officer"),
        ("officers", "add", "--name", "Trần Thị Lan", "--unit", VP, "--role", "chair"),
    ):
        code, out, err = _run(url, *args)
        assert code == 0, out + err


def _listed(url: str, code: str) -> dict[str, object]:
    status, out, err = _run(url, "tasks", "list", "--json")
    assert status == 0, err
    return next(row for row in json.loads(out) if row["code"] == code)


def test_a_task_by_hand_from_given_to_reopened(
    database_url: str, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(datetime(2026, 12, 4, 9, 0, tzinfo=HCM), tick=False)
    _ward(database_url)
    code, out, err = _run(
        database_url,
        "tasks", "add", "Rà soát thủ tục hành chính",
        "--unit", "CCVHXH", "--unit", DC, "--due", "trước 15/12",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == ["Hạn “trước 15/12”: 14/12/2026.", "V1"]
    row = _listed(database_url, "V1")
    assert (row["plan"], row["status"], row["due"]) == (None, "open", "2026-12-14")
    assert [(u["unit"], u["role"], u["status"]) for u in row["units"]] == [  # type: ignore[attr-defined]
        (VH, "lead", "open"),
        (DC, "lead", "open"),
    ]
    code, out, err = _run(database_url, "tasks", "done", "V1", "--unit", DC)
    assert code == 0, err
    assert "1/2" in out
    row = _listed(database_url, "V1")
    assert row["status"] == "open"
    units = {u["unit"]: u for u in row["units"]}  # type: ignore[attr-defined]
    assert units[DC]["status"] == "done"
    assert units[DC]["done_at"] is not None
    assert units[VH]["status"] == "open"
    code, out, err = _run(database_url, "tasks", "due", "V1", "Quý I/2027")
    assert code == 0, err
    assert "31/03/2027" in out
    assert _listed(database_url, "V1")["due"] == "2027-03-31"
    code, _, err = _run(database_url, "tasks", "cancel", "V1", "--reason", "Trùng việc")
    assert code == 0, err
    assert _listed(database_url, "V1")["status"] == "cancelled"
    code, _, err = _run(database_url, "tasks", "reopen", "V1")
    assert code == 0, err
    assert _listed(database_url, "V1")["status"] == "open"
    code, _, err = _run(database_url, "tasks", "list", "--status", "cancelled", "--json")
    assert code == 0, err
    engine = make_engine(database_url)
    with Session(engine) as session:
        events = session.exec(select(TaskEvent).order_by(col(TaskEvent.id))).all()
        told = session.exec(select(Outbox)).all()
    engine.dispose()
    assert [e.kind for e in events] == [
        EventKind.CREATED,
        EventKind.DONE,
        EventKind.UPDATED,
        EventKind.CANCELLED,
        EventKind.REOPENED,
    ]
    assert {e.channel for e in events} == {Channel.CONSOLE}
    assert all(e.officer_id is not None for e in events)  # by the chair, the first manager
    msgids = [str(o.payload["lines"][0]["msgid"]) for o in told]  # type: ignore[index]
    assert sum("gives your unit" in m for m in msgids) == 2  # Minh and Tuấn, not the chair
    assert any("moved the deadline" in m for m in msgids)
    assert any("cancelled task" in m for m in msgids)


def test_a_deadline_not_understood_stores_nothing(
    database_url: str, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(datetime(2026, 12, 4, 9, 0, tzinfo=HCM), tick=False)
    _ward(database_url)
    code, _out, err = _run(database_url, "tasks", "add", "Việc", "--unit", DC, "--due", "sớm")
    assert code == 1
    assert "sớm" in err
    assert json.loads(_run(database_url, "tasks", "list", "--json")[1]) == []


def _events(url: str) -> list[EventKind]:
    engine = make_engine(url)
    with Session(engine) as session:
        kinds = [e.kind for e in session.exec(select(TaskEvent).order_by(col(TaskEvent.id)))]
    engine.dispose()
    return kinds


def test_without_unit_the_office_closes_and_reopens_the_whole_task(
    database_url: str, time_machine: time_machine.TimeMachineFixture
) -> None:
    """The office acts as the chair, whose unit leads too: no --unit is every unit's part."""
    time_machine.move_to(datetime(2026, 12, 4, 9, 0, tzinfo=HCM), tick=False)
    _ward(database_url)
    _run(database_url, "tasks", "add", "Báo cáo", "--unit", VH, "--unit", DC, "--unit", VP)
    code, out, err = _run(database_url, "tasks", "done", "V1")
    assert code == 0, err
    assert out.splitlines() == ["Việc V1 đã hoàn thành."]
    row = _listed(database_url, "V1")
    assert row["status"] == "done"
    assert {u["status"] for u in row["units"]} == {"done"}  # type: ignore[attr-defined]
    code, out, err = _run(database_url, "tasks", "reopen", "V1")
    assert code == 0, err
    row = _listed(database_url, "V1")
    assert row["status"] == "open"
    assert {u["status"] for u in row["units"]} == {"open"}  # type: ignore[attr-defined]


def test_a_refused_act_says_one_line_and_writes_nothing(
    database_url: str, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(datetime(2026, 12, 4, 9, 0, tzinfo=HCM), tick=False)
    _ward(database_url)
    _run(database_url, "tasks", "add", "Báo cáo", "--unit", VH, "--unit", DC)
    assert _run(database_url, "tasks", "done", "V1", "--unit", DC)[0] == 0
    code, out, err = _run(database_url, "tasks", "done", "V1", "--unit", DC)
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"Phần việc V1 của {DC} đã xong rồi; các đơn vị khác chưa xong."]
    code, out, err = _run(database_url, "tasks", "due", "V9", "Quý I/2027")
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1
    assert _run(database_url, "tasks", "cancel", "V1", "--reason", "Trùng")[0] == 0
    before = _events(database_url)
    for args, said in (
        (("done", "V1"), "Việc V1 đã bị hủy."),
        (("done", "V1", "--unit", VH), "Việc V1 đã bị hủy."),
        (("cancel", "V1", "--reason", "Trùng"), "Việc V1 đã hủy rồi."),
        (("due", "V1", "Quý I/2027"), "Việc V1 đã bị hủy."),
        (("assign", "V1", "--unit", VP), "Việc V1 đã bị hủy."),
    ):
        code, out, err = _run(database_url, "tasks", *args)
        assert (code, out) == (1, ""), args  # refused before a date is said back, as the web
        assert err.splitlines() == [said], args
    assert _events(database_url) == before
    assert _listed(database_url, "V1")["status"] == "cancelled"


def test_the_plain_list_says_pseudo_units_in_words(
    database_url: str, time_machine: time_machine.TimeMachineFixture, data_dir: Path
) -> None:
    time_machine.move_to(datetime(2025, 10, 1, 9, 0, tzinfo=HCM), tick=False)
    _ward(database_url)
    seed = next((data_dir / "seeds").glob("002_*.txt"))
    code, _, err = _run(database_url, "import", str(seed), "--yes")
    assert code == 0, err
    code, out, err = _run(database_url, "tasks", "list")
    assert code == 0, err
    assert "@related" not in out
    assert "@all" not in out
    line = next(row for row in out.splitlines() if row.startswith("1.2\t"))
    assert line.endswith("các cán bộ liên quan")
    assert _listed(database_url, "1.2")["units"][0]["unit"] == "@related"  # type: ignore[index]


def _codes(url: str, *args: str) -> list[str]:
    status, out, err = _run(url, "tasks", "list", "--json", *args)
    assert status == 0, err
    return [row["code"] for row in json.loads(out)]


def test_a_list_narrowed_to_a_unit_reads_that_units_part(
    database_url: str, time_machine: time_machine.TimeMachineFixture
) -> None:
    """Done by one lead unit, open for the other: open for the other and done for the first,
    while each row's status stays the task's."""
    time_machine.move_to(datetime(2026, 12, 4, 9, 0, tzinfo=HCM), tick=False)
    _ward(database_url)
    _run(database_url, "tasks", "add", "Báo cáo", "--unit", VH, "--unit", DC, "--coordinator", VP)
    _run(database_url, "tasks", "add", "Rà soát", "--unit", VH, "--due", "trước 08/12")
    assert _run(database_url, "tasks", "done", "V1", "--unit", DC)[0] == 0
    time_machine.move_to(datetime(2026, 12, 9, 9, 0, tzinfo=HCM), tick=False)
    assert _codes(database_url, "--unit", DC, "--status", "done") == ["V1"]
    assert _codes(database_url, "--unit", DC, "--status", "open") == []
    assert _codes(database_url, "--unit", VH, "--status", "open") == ["V1", "V2"]
    assert _codes(database_url, "--unit", VH, "--status", "done") == []
    assert _codes(database_url, "--unit", VH, "--status", "overdue") == ["V2"]
    assert _codes(database_url, "--unit", VP, "--status", "open") == ["V1"]  # coordinates
    assert _codes(database_url, "--status", "done") == []
    code, out, err = _run(database_url, "tasks", "list", "--json", "--unit", DC, "--status=done")
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["status"] == "open"
    assert [(u["unit"], u["role"], u["status"]) for u in row["units"]] == [
        (VH, "lead", "open"),
        (DC, "lead", "done"),
        (VP, "coordinator", "open"),
    ]
    assert _run(database_url, "tasks", "cancel", "V1", "--reason", "Trùng")[0] == 0
    assert _codes(database_url, "--unit", VH, "--status", "open") == ["V2"]
    assert _codes(database_url, "--unit", DC, "--status", "cancelled") == ["V1"]


def test_the_status_option_says_what_it_means_with_a_unit() -> None:
    for locale, words in (("vi", "phần việc riêng của đơn vị đó"), ("en", "that unit's own part")):
        result = CliRunner().invoke(
            build_cli(locale), ["tasks", "list", "--help"], env={"COLUMNS": "200"}
        )
        assert result.exit_code == 0
        assert words in " ".join(result.stdout.split()), locale


def test_a_coordinator_assigned_the_task_leads_it_only(
    database_url: str, time_machine: time_machine.TimeMachineFixture
) -> None:
    """Assigning a task to a unit that coordinated it: a lead only, with its own share."""
    time_machine.move_to(datetime(2026, 12, 4, 9, 0, tzinfo=HCM), tick=False)
    _ward(database_url)
    _run(database_url, "tasks", "add", "Báo cáo", "--unit", VH, "--coordinator", DC)
    code, out, err = _run(database_url, "tasks", "assign", "V1", "--unit", DC)
    assert code == 0, err
    assert out.splitlines() == [f"Việc V1 do {DC} chủ trì."]
    row = _listed(database_url, "V1")
    assert [(u["unit"], u["role"], u["status"]) for u in row["units"]] == [  # type: ignore[attr-defined]
        (DC, "lead", "open")
    ]
    code, out, err = _run(database_url, "tasks", "done", "V1", "--unit", DC)
    assert code == 0, err
    assert out.splitlines() == ["Việc V1 đã hoàn thành."]
    assert _listed(database_url, "V1")["status"] == "done"


def test_reopening_a_cancelled_task_tells_its_officers(
    database_url: str, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(datetime(2026, 12, 4, 9, 0, tzinfo=HCM), tick=False)
    _ward(database_url)
    _run(database_url, "tasks", "add", "Báo cáo", "--unit", VH, "--unit", DC, "--due", "15/1")
    assert _run(database_url, "tasks", "cancel", "V1", "--reason", "Trùng")[0] == 0
    assert _run(database_url, "tasks", "reopen", "V1")[0] == 0
    engine = make_engine(database_url)
    with Session(engine) as session:
        told = session.exec(select(Outbox).order_by(col(Outbox.id))).all()
        names = {o.id: o.name for o in session.exec(select(Officer))}
    engine.dispose()
    reopened = [
        (names[o.officer_id], render_text("vi", line))
        for o in told
        for line in Reply.from_json(o.payload).lines
        if "reopened" in line.msgid
    ]
    said = "🔄 Trần Thị Lan đã mở lại việc V1 “Báo cáo” đã hủy, hạn 15/01/2027."
    assert sorted(reopened) == [("Phạm Văn Minh", said), ("Đỗ Quang Tuấn", said)]
    line = Reply.from_json(told[-1].payload).lines[0]
    assert render_text("en", line) == (
        "🔄 Trần Thị Lan reopened the cancelled task V1 “Báo cáo”, due 15 Jan 2027."
    )


def test_reopen_finds_the_quarter_one_unit_finished(
    database_url: str, time_machine: time_machine.TimeMachineFixture
) -> None:
    """A quarterly task one unit of two finished for its first open quarter: `reopen` opens
    that share (it used to look at the last quarter, where nothing is done, and refuse), as the
    web and /mo do (`services/tracking/reopening.py`)."""
    time_machine.move_to(datetime(2026, 12, 4, 9, 0, tzinfo=HCM), tick=False)
    _ward(database_url)
    _run(database_url, "tasks", "add", "Báo cáo quý", "--unit", VH, "--unit", DC,
         "--due", "Hằng quý")  # fmt: skip
    assert _run(database_url, "tasks", "done", "V1", "--unit", DC)[0] == 0
    assert _done_shares(database_url) == 1
    code, out, err = _run(database_url, "tasks", "reopen", "V1")
    assert code == 0, err
    assert out.splitlines() == ["Việc V1: 0/2 đơn vị đã xong."]
    assert _done_shares(database_url) == 0
    assert _events(database_url)[-1] is EventKind.REOPENED


def _done_shares(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        done = session.exec(select(Share).where(Share.status == TaskStatus.DONE)).all()
    engine.dispose()
    return len(done)


def test_done_closes_the_quarter_that_counts(
    database_url: str, time_machine: time_machine.TimeMachineFixture
) -> None:
    """Four quarters open, three overdue: `done` closes the oldest overdue, as the web's
    "✅ Done" and "việc 5 xong" do (`services/tracking/closing.py`)."""
    time_machine.move_to(datetime(2026, 12, 4, 9, 0, tzinfo=HCM), tick=False)
    _ward(database_url)
    _run(database_url, "tasks", "add", "Báo cáo quý", "--unit", VH, "--due", "Hằng quý")
    assert _run(database_url, "tasks", "done", "v1")[0] == 0  # a code in either case
    engine = make_engine(database_url)
    with Session(engine) as session:
        rows = session.exec(select(Occurrence).order_by(col(Occurrence.due))).all()
        periods = [(o.due.isoformat() if o.due else None, o.status) for o in rows]
    engine.dispose()
    assert periods == [
        ("2026-03-31", TaskStatus.DONE),
        ("2026-06-30", TaskStatus.OPEN),
        ("2026-09-30", TaskStatus.OPEN),
        ("2026-12-31", TaskStatus.OPEN),
    ]


def test_a_superseded_plans_task_is_not_found_by_its_code(
    database_url: str, time_machine: time_machine.TimeMachineFixture
) -> None:
    """As the chat's "việc V1" and /mo V1 do not find it (`task_list.tasks_coded`)."""
    time_machine.move_to(datetime(2026, 12, 4, 9, 0, tzinfo=HCM), tick=False)
    _ward(database_url)
    _run(database_url, "tasks", "add", "Báo cáo", "--unit", VH)
    engine = make_engine(database_url)
    with Session(engine) as session:
        old = session.exec(select(Plan)).one()
        new = Plan(
            organization_id=old.organization_id, title="Bản sửa đổi", source_name="v2.txt",
            sha256="f" * 64,
            imported_at=datetime(2026, 12, 4, 2, 0, tzinfo=HCM),
        )  # fmt: skip
        session.add(new)
        session.flush()
        old.superseded_by_id = new.id
        session.add(old)
        session.commit()
    engine.dispose()
    for verb in ("done", "reopen"):
        code, out, err = _run(database_url, "tasks", verb, "V1")
        assert (code, out) == (1, ""), verb
        assert err.splitlines() == [
            "Không tìm thấy việc V1, hoặc việc này không được giao cho anh/chị."
        ]
