"""The command line as a newcomer meets it under DONDOC_LOCALE=vi: Vietnamese help, prompts and
refusals, a busy port caught before anything is made, a question before emptying the database."""

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dondoc.cli import build_cli
from tests.support.ports import free_port


def _run(
    db: Path, *args: str, env: dict[str, str] | None = None, answer: str | None = None
) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        build_cli("vi"),
        list(args),
        input=answer,
        env={"DONDOC_DATABASE_URL": f"sqlite:///{db}", "DONDOC_LOCALE": "vi", **(env or {})},
        catch_exceptions=False,
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "dondoc.db"


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port some other program listens on."""
    port = free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", port))
        other.listen(1)
        yield port


def test_help_speaks_vietnamese(db: Path) -> None:
    code, out, _ = _run(db, "db", "--help")
    assert code == 0
    assert "Cách dùng:" in out
    assert "Tuỳ chọn" in out
    assert "Hiện hướng dẫn này rồi thoát." in out
    for english in ("Usage:", "Options", "Commands", "Show this message", "[OPTIONS]"):
        assert english not in out
    assert " db [TUỲ CHỌN] LỆNH [THAM SỐ]..." in out  # the program is "root" under the runner


def test_a_missing_argument_is_said_in_vietnamese(db: Path) -> None:
    code, out, err = _run(db, "import")
    assert code == 2
    assert "Thiếu tham số" in out + err
    assert "Missing" not in out + err


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("DONDOC_WEB_PORT", "abc", "cần một số nguyên"),
        ("DONDOC_WEB_PORT", "0", "không nhỏ hơn 1"),
        ("DONDOC_LOCALE", "fr", "'vi', 'en'"),
        ("DONDOC_TIMEZONE", "Mars/Olympus", "không biết múi giờ Mars/Olympus"),
    ],
)
def test_a_bad_setting_is_refused_in_vietnamese(
    db: Path, variable: str, value: str, reason: str
) -> None:
    code, _, err = _run(db, "run", env={variable: value})
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"Cấu hình {variable} không hợp lệ: ")
    assert reason in err
    assert "Input should" not in err


def test_a_busy_port_stops_run_before_anything_is_made(db: Path, busy_port: int) -> None:
    code, out, err = _run(db, "run", env={"DONDOC_WEB_PORT": str(busy_port)})

    assert code == 2
    assert err.strip().splitlines() == [
        f"Cổng {busy_port} trên 127.0.0.1 đang được dùng (một dondoc run khác?). Hãy dừng "
        f"chương trình đó, hoặc chọn cổng khác: DONDOC_WEB_PORT={busy_port + 1} dondoc run"
    ]
    assert out == ""
    assert not db.exists()


def test_downgrading_to_base_asks_first(db: Path) -> None:
    assert _run(db, "db", "upgrade")[0] == 0

    code, out, _ = _run(db, "db", "downgrade", "base", answer="x\nk\n")
    assert code == 0
    assert "[c/K]" in out
    assert "Xin trả lời c hoặc k." in out
    assert "Không có gì thay đổi." in out
    assert "phiên bản base" not in out

    code, out, _ = _run(db, "db", "downgrade", "base", answer="c\n")
    assert code == 0
    assert "Cơ sở dữ liệu ở phiên bản base." in out


def test_downgrading_to_base_with_yes_does_not_ask(db: Path) -> None:
    assert _run(db, "db", "upgrade")[0] == 0
    code, out, _ = _run(db, "db", "downgrade", "base", "--yes")
    assert code == 0
    assert "[c/K]" not in out
    assert "Cơ sở dữ liệu ở phiên bản base." in out


def test_a_number_option_given_words_is_refused_in_vietnamese(db: Path) -> None:
    code, out, err = _run(db, "invite", "Minh", "--days", "x")
    assert code == 2
    assert "Giá trị không hợp lệ cho '--days': cần một số nguyên" in out + err
    assert "Input should" not in out + err


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--offsets", "1,2,x", "'1,2,x' không phải danh sách số ngày"),
        ("--offsets=-5", None, "từ 0 đến 366 ngày trước hạn"),
        ("--quiet", "25:00-07:00", "'25:00' không phải giờ trong ngày"),
        ("--send-time", "9h", "'9h' không phải giờ trong ngày"),
        ("--escalate-after=-1", None, "báo Chủ tịch sau 1 đến 60 ngày làm việc quá hạn"),
        ("--overdue-every", "0", "cách nhau 1 đến 60 ngày làm việc"),
        ("--overdue-every", "hai", "'hai' không phải số nguyên"),
        ("--report-draft-days", "999", "từ 0 (không gửi) đến 30 ngày làm việc"),
        ("--ongoing-checkin", "yearly", "không dùng được ở đây; chọn monthly, quarterly, off"),
        ("--duty-checkin", "sometimes", "'sometimes' không phải chu kỳ"),
    ],
)
def test_a_policy_refusal_is_said_in_vietnamese(
    db: Path, option: str, value: str | None, said: str
) -> None:
    assert _run(db, "org", "create", "Phường Bắc Sơn")[0] == 0
    code, _, err = _run(db, "policy", "set", option, *([] if value is None else [value]))
    assert code == 1
    assert err.startswith("Chính sách nhắc việc không hợp lệ: ")
    assert said in err
    assert len(err.strip().splitlines()) == 1
    for english in ("is not", "must be", "offsets", "working days", "quiet hours", "report"):
        assert english not in err


@pytest.mark.parametrize("command", ["upgrade", "downgrade"])
def test_an_unknown_revision_is_one_line_not_a_traceback(db: Path, command: str) -> None:
    assert _run(db, "db", "upgrade")[0] == 0
    code, out, err = _run(db, "db", command, "zzz")
    assert code == 2
    assert err.startswith("Không có phiên bản zzz: dùng head, base, hoặc một trong 0001, 0002")
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err


def test_an_unknown_option_is_said_in_vietnamese(db: Path) -> None:
    code, out, err = _run(db, "db", "downgrade", "--yse")
    assert code == 2
    assert "Không có tuỳ chọn --yse" in out + err
    assert "No such option" not in out + err
    assert "Did you mean" not in out + err


def test_a_revision_names_what_changed_in_vietnamese(db: Path, tmp_path: Path) -> None:
    """The demo plan's text, then the same plan a year on (every date moved): stored as a
    revision whose changed tasks name their changed cells in Vietnamese."""
    from services.importing.demo import PLAN_FILE, shifted_plan

    assert _run(db, "org", "create", "Phường Bắc Sơn")[0] == 0
    assert _run(db, "import", str(PLAN_FILE), "--yes")[0] == 0
    later = tmp_path / "ke-hoach-2026.txt"
    later.write_text(shifted_plan(2026), encoding="utf-8")

    code, out, _ = _run(db, "import", str(later), answer="k\n")
    assert code == 0
    asked = out.splitlines()
    said = "Đây là bản mới của kế hoạch 73/KH-UBND: thêm 0, bỏ 0, sửa 11, giữ nguyên 0."
    assert said in asked  # before the question, as on the web
    assert asked.index(said) < next(i for i, x in enumerate(asked) if "[c/K]" in x)

    code, out, err = _run(db, "import", str(later), "--yes")

    assert code == 0, err
    assert "Traceback" not in out + err
    changed = [line for line in out.splitlines() if line.startswith("  ~ ")]
    assert changed
    assert "  ~ nhiệm vụ 1: thời hạn, ngày hạn" in changed
    assert any("tên nhiệm vụ" in line for line in changed)  # "năm 2025" in a title
    for english in ("title", "deadline", "due", "lead"):
        assert not any(english in line for line in changed), changed


@pytest.mark.parametrize(
    ("args", "said", "english"),
    [
        (("tasks", "cancel", "V1", "--reason"), "Tuỳ chọn '--reason' cần một giá trị", "requires"),
        (("tasks", "list", "--unit"), "Tuỳ chọn '--unit' cần một giá trị", "requires"),
        (("tasks", "cancel", "V1", "--reason", "x", "y"), "Thừa tham số (y)", "unexpected"),
    ],
)
def test_an_option_without_its_value_is_said_in_vietnamese(
    db: Path, args: tuple[str, ...], said: str, english: str
) -> None:
    code, out, err = _run(db, *args)
    assert code == 2
    assert said in out + err
    assert english not in (out + err).lower()
