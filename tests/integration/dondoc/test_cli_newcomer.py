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
    for english in ("Usage:", "Options", "Commands", "Show this message"):
        assert english not in out


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
