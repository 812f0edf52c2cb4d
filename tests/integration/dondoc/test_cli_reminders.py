"""`dondoc policy`, `dondoc outbox` and `dondoc simulate`, as the office types them."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from dondoc.cli import build_cli
from models import Occurrence
from models.db import make_engine
from tests.conftest import DATA_DIR, DATABASES
from tests.support.clock import HCM
from tests.support.databases import PostgresTemplate

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(params=DATABASES)
def dondoc(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Run]:
    """`dondoc ARGS…` against a fresh database of each kind, with one ward in it."""
    if request.param == "postgresql":
        template: PostgresTemplate = request.getfixturevalue("pg_template")
        with template.empty() as url:
            yield _ward(url)
    else:
        yield _ward(f"sqlite:///{tmp_path / 'dondoc.db'}")


def _ward(url: str) -> Run:
    def run(*args: str, locale: str = "en") -> tuple[int, str, str]:
        result = CliRunner().invoke(
            build_cli(locale),
            list(args),
            env={"DONDOC_DATABASE_URL": url, "DONDOC_LOCALE": locale},
            catch_exceptions=False,
        )
        return result.exit_code, result.stdout, result.stderr

    assert run("org", "create", "Phường Bắc Sơn")[0] == 0
    return run


def test_policy_show_then_set_then_show(dondoc: Run) -> None:
    code, out, _ = dondoc("policy", "show")
    assert code == 0
    assert "14, 7, 3, 1, 0" in out
    assert "07:30" in out
    code, out, err = dondoc(
        "policy", "set", "--offsets", "10,5,0", "--quiet", "22:00-06:30", "--escalate-after", "5"
    )
    assert code == 0, err
    code, out, _ = dondoc("policy", "show")
    assert "10, 5, 0" in out
    assert "22:00-06:30" in out
    assert "after 5 working days" in out


def test_policy_refuses_a_send_time_in_the_quiet_hours(dondoc: Run) -> None:
    code, _, err = dondoc("policy", "set", "--send-time", "22:30")
    assert code == 1
    assert "quiet hours" in err
    code, _, err = dondoc("policy", "set", "--send-time", "22:30", locale="vi")
    assert "Chính sách nhắc việc không hợp lệ" in err


def test_outbox_list_and_retry_of_an_unknown_message(dondoc: Run) -> None:
    code, out, _ = dondoc("outbox", "list", "--state", "failed")
    assert (code, out.strip()) == (0, "No messages.")
    code, _, err = dondoc("outbox", "retry", "42")
    assert code == 1
    assert "no outbox message 42" in err


@pytest.mark.slow
def test_simulate_prints_the_messages_as_json(tmp_path: Path) -> None:
    seed = next((DATA_DIR / "seeds").glob("000_*.txt"))
    result = CliRunner().invoke(
        build_cli("vi"),
        ["simulate", str(seed), "--from", "2025-03-01", "--to", "2025-04-05", "--json"],
        env={"DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}"},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    messages = json.loads(result.stdout)
    assert {m["role"] for m in messages} == {"officer", "chair"}
    overdue = messages[0]  # imported long overdue: chased from the first send time
    assert (overdue["at"], overdue["items"]) == (
        "2025-03-03T07:30",
        [{"kind": "overdue", "task": "6"}],
    )
    first = next(m for m in messages if m["items"][0]["kind"] == "reminder")
    assert first == {
        "at": "2025-03-17T07:30",
        "recipient": "Cán bộ (Công chức Văn hóa – xã hội)",
        "role": "officer",
        "items": [{"kind": "reminder", "task": "1"}],
        "text": first["text"],
    }
    assert "hạn 31/03/2025, còn 14 ngày" in first["text"]
    assert not (tmp_path / "unused.db").exists()  # the preview touches no real database


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_simulate_works_on_every_seed(tmp_path: Path, prefix: str) -> None:
    seed = next((DATA_DIR / "seeds").glob(f"{prefix}_*.txt"))
    result = CliRunner().invoke(
        build_cli("vi"),
        ["simulate", str(seed), "--from", "2024-11-25", "--to", "2025-03-10", "--json"],
        env={"DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}"},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    messages = json.loads(result.stdout)
    if prefix == "004":  # standing duties: each unit's officer is asked before the quarter's end
        checkins = [m for m in messages if m["items"][0]["kind"] == "checkin"]
        assert {m["at"] for m in checkins} == {"2024-11-29T07:30", "2025-02-28T07:30"}
        assert len({m["recipient"] for m in checkins}) == 6


def test_simulate_refuses_a_plan_with_nothing_to_follow_in_one_line(tmp_path: Path) -> None:
    plan = tmp_path / "hoi-nghi.txt"
    plan.write_text(
        "UBND PHƯỜNG Z\n\nKẾ HOẠCH\n\nVề việc tổ chức hội nghị năm 2025\n\n"
        "I. MỤC ĐÍCH\n\nNâng cao hiệu quả công tác.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        build_cli("vi"),
        ["simulate", str(plan), "--from", "2025-01-01", "--to", "2025-03-01"],
        env={"DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}"},
        catch_exceptions=False,
    )
    assert (result.exit_code, result.stdout) == (1, "")
    [said] = result.stderr.splitlines()
    assert said.startswith("Không tìm thấy bảng nhiệm vụ")


def test_import_of_a_plan_of_duties_prints_its_draft(tmp_path: Path) -> None:
    seed = next((DATA_DIR / "seeds").glob("004_*.txt"))
    result = CliRunner().invoke(
        build_cli("vi"),
        ["import", str(seed), "--dry-run", "--json"],
        env={"DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'dondoc.db'}"},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    draft = json.loads(result.stdout)
    assert draft["tasks"] == []
    assert len(draft["responsibilities"]) == 6


def test_a_day_off_from_the_command_line_replans_at_once(tmp_path: Path) -> None:
    # `dondoc calendar` used to leave the re-plan to the night; the web re-planned at once.
    url = f"sqlite:///{tmp_path / 'drift.db'}"
    dondoc = _ward(url)
    seed = next((DATA_DIR / "seeds").glob("000_*.txt"))
    code, _, err = dondoc("import", str(seed), "--yes")
    assert code == 0, err
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            moments = session.exec(select(Occurrence.next_reminder_at)).all()
            first = min(moment for moment in moments if moment is not None)
        day = first.astimezone(HCM).date()
        code, _, err = dondoc("calendar", "add-day-off", f"{day:%d/%m/%Y}", "--reason", "Nghỉ")
        assert code == 0, err
        with Session(engine) as session:
            moments = session.exec(select(Occurrence.next_reminder_at)).all()
        days = {moment.astimezone(HCM).date() for moment in moments if moment is not None}
        assert day not in days  # re-planned now, not by the night's re-plan
    finally:
        engine.dispose()
