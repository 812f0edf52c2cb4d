"""`dondoc users passwd NAME`, and what `dondoc run` demands before serving the web pages
beyond this machine."""

from pathlib import Path

from sqlmodel import Session, select
from typer.testing import CliRunner

from dondoc.cli import build_cli
from models import Officer
from models.db import make_engine
from services.people.web_auth import is_password


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
