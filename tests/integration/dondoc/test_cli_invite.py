"""`dondoc invite NAME`: the deep link and the short code, and the bot's name from getMe."""

import re
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from dondoc.cli import build_cli
from dondoc.commands.invites import bot_username


def _run(db: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        build_cli("en"),
        list(args),
        env={"DONDOC_DATABASE_URL": f"sqlite:///{db}", "DONDOC_LOCALE": "en", **(env or {})},
        catch_exceptions=False,
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "dondoc.db"
    assert _run(path, "org", "create", "Phường Bắc Sơn")[0] == 0
    assert _run(path, "units", "add", "Văn hóa - Xã hội")[0] == 0
    code, _, err = _run(
        path, "officers", "add", "--name", "Phạm Văn Minh", "--unit", "Văn hóa - Xã hội"
    )
    assert code == 0, err
    return path


def test_invite_prints_the_deep_link_and_the_code(db: Path) -> None:
    code, out, err = _run(db, "invite", "Phạm Văn Minh", "--bot-username", "@dondoc_bot")
    assert code == 0, err
    assert re.search(r"https://t\.me/dondoc_bot\?start=[\w-]{20,}", out)
    assert re.search(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}\b", out)


def test_invite_without_a_bot_name_prints_the_code_only(db: Path) -> None:
    code, out, _ = _run(db, "invite", "Phạm Văn Minh")
    assert code == 0
    assert "t.me" not in out
    assert "--bot-username" in out


def test_invite_for_an_unknown_officer_fails(db: Path) -> None:
    code, _, err = _run(db, "invite", "Ai Đó", "--bot-username", "dondoc_bot")
    assert code == 1
    assert "Ai Đó" in err


def test_bot_username_comes_from_get_me() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/botSECRET/getMe"
        return httpx.Response(200, json={"ok": True, "result": {"username": "ward_bot"}})

    transport = httpx.MockTransport(answer)
    assert bot_username("https://api.example/bot", "SECRET", transport=transport) == "ward_bot"
    refused = httpx.MockTransport(lambda _: httpx.Response(401, json={"ok": False}))
    with pytest.raises(ValueError, match="no username"):
        bot_username("https://api.example/bot", "SECRET", transport=refused)


def test_invite_prints_the_web_sign_in_link_of_its_token(db: Path) -> None:
    code, out, _ = _run(
        db,
        "invite",
        "Phạm Văn Minh",
        "--bot-username",
        "dondoc_bot",
        env={"DONDOC_WEB_PORT": "8090"},
    )
    assert code == 0
    deep = re.search(r"start=([\w-]+)", out)
    web = re.search(r"http://127\.0\.0\.1:8090/login/invite/([\w-]+)", out)
    assert deep is not None
    assert web is not None
    assert web.group(1) == deep.group(1)


def test_the_web_sign_in_link_follows_the_public_address(db: Path) -> None:
    code, out, _ = _run(db, "invite", "Phạm Văn Minh", env={"DONDOC_PUBLIC_URL": "https://x.vn/"})
    assert code == 0
    assert re.search(r"https://x\.vn/login/invite/[\w-]{20,}", out)
