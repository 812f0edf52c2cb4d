"""`dondoc users passwd NAME`, and what `dondoc run` demands before serving the web pages
beyond this machine."""

from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from dondoc.app import LOCAL_SECRET_FILE, local_secret_key
from dondoc.cli import build_cli
from dondoc.settings import is_random_key
from models import Officer
from models.db import make_engine
from services.people.web_auth import is_password
from tests.conftest import DATABASES


def _invoke(args: list[str], env: dict[str, str], given: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(build_cli("vi"), args, env=env, input=given)
    return result.exit_code, result.stdout + result.stderr


def test_the_office_sets_a_web_password(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'dondoc.db'}"
    env = {"DONDOC_DATABASE_URL": url, "DONDOC_LOCALE": "vi"}
    assert _invoke(["org", "create", "Phường Bắc Sơn"], env)[0] == 0
    assert _invoke(["officers", "add", "--name", "Trần Thị Lan", "--role", "chair"], env)[0] == 0

    code, out = _invoke(
        ["users", "passwd", "Trần Thị Lan"], env, given="mat-khau-moi\nmat-khau-moi\n"
    )

    assert code == 0, out
    assert "Trần Thị Lan đã có thể đăng nhập trang web" in out
    assert "mat-khau-moi" not in out
    engine = make_engine(url)
    with Session(engine) as session:
        lan = session.exec(select(Officer)).one()
    engine.dispose()
    assert is_password("mat-khau-moi", lan.password_hash)


def test_a_short_password_or_an_unknown_name_is_refused(tmp_path: Path) -> None:
    env = {"DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'dondoc.db'}", "DONDOC_LOCALE": "vi"}
    _invoke(["org", "create", "Phường Bắc Sơn"], env)
    _invoke(["officers", "add", "--name", "Trần Thị Lan", "--role", "chair"], env)

    short = _invoke(["users", "passwd", "Trần Thị Lan"], env, given="abc\nabc\n")
    unknown = _invoke(["users", "passwd", "Không Có Ai"], env, given="mat-khau-moi\n" * 2)

    assert short[0] == 1
    assert "ít nhất 8 ký tự" in short[1]
    assert unknown[0] == 1
    assert "Không Có Ai" in unknown[1]
    assert "Mật khẩu mới" not in unknown[1]  # refused before a password is asked for


def test_run_beyond_this_machine_needs_a_secret_key(tmp_path: Path) -> None:
    env = {
        "DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'dondoc.db'}",
        "DONDOC_LOCALE": "vi",
        "DONDOC_WEB_HOST": "0.0.0.0",
    }

    code, out = _invoke(["run"], env)

    assert code == 2
    assert "DONDOC_SECRET_KEY" in out
    assert not (tmp_path / "dondoc.db").exists()  # refused before touching the database


def test_dondoc_secret_prints_a_key_dondoc_accepts(tmp_path: Path) -> None:
    code, out = _invoke(["secret"], {})
    again = _invoke(["secret"], {})[1]
    env = {
        "DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'dondoc.db'}",
        "DONDOC_SECRET_KEY": out.strip(),
    }

    assert code == 0
    assert len(out.strip()) >= 43
    assert out != again
    assert _invoke(["units", "list"], env)[1].count("DONDOC_SECRET_KEY") == 0


def test_a_short_or_patterned_secret_key_is_refused_in_one_line(tmp_path: Path) -> None:
    for weak in ("x", "a" * 64, "0123456789" * 4):
        env = {
            "DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'dondoc.db'}",
            "DONDOC_SECRET_KEY": weak,
        }

        code, out = _invoke(["run"], env)

        assert code == 2
        assert out.strip().splitlines() == [
            "Cấu hình DONDOC_SECRET_KEY không hợp lệ: cần ít nhất 32 byte ngẫu nhiên; "
            "`dondoc secret` in ra một khoá mới"
        ]
    assert not (tmp_path / "dondoc.db").exists()


def test_run_beyond_this_machine_needs_its_public_address(tmp_path: Path) -> None:
    env = {
        "DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'dondoc.db'}",
        "DONDOC_LOCALE": "vi",
        "DONDOC_WEB_HOST": "0.0.0.0",
        "DONDOC_SECRET_KEY": "k7Qm2Zp9Xr4Lw8Vn3Bt6Yc1Hd5Fs0Gj-Ua_Ei",
    }

    code, out = _invoke(["run"], env)

    assert code == 2
    assert "DONDOC_PUBLIC_URL" in out
    assert not (tmp_path / "dondoc.db").exists()


def test_on_this_machine_a_key_is_made_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / LOCAL_SECRET_FILE
    path.write_text("ngan\n", "ascii")  # a key not good enough is replaced

    made, is_new = local_secret_key(path)
    kept, is_new_again = local_secret_key(path)

    assert (is_new, is_new_again) == (True, False)
    assert made == kept
    assert is_random_key(made)
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("database_url", DATABASES, indirect=True)
def test_new_officers_read_the_configured_locale(database_url: str) -> None:
    env = {"DONDOC_DATABASE_URL": database_url, "DONDOC_LOCALE": "en"}
    assert _invoke(["org", "create", "Phường Bắc Sơn"], env)[0] == 0

    code, out = _invoke(["officers", "add", "--name", "Trần Thị Lan", "--role", "chair"], env)

    assert code == 0, out
    engine = make_engine(database_url)
    with Session(engine) as session:
        lan = session.exec(select(Officer)).one()
    engine.dispose()
    assert lan.locale == "en"
