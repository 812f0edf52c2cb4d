"""Settings: defaults as DESIGN.md lists them, and one clear error for a bad value."""

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from dondoc.app import platform_ceilings, public_address
from dondoc.settings import Settings
from models import Channel
from tests.support.clock import HCM


@pytest.fixture(autouse=True)
def _no_outside_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    for name in list(os.environ):
        if name.startswith("DONDOC_"):
            monkeypatch.delenv(name)


def test_defaults() -> None:
    settings = Settings()
    assert settings.database_url == "sqlite:///dondoc.db"
    assert settings.zone == HCM
    assert settings.locale == "vi"
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.zalo_base_url == "https://bot-api.zaloplatforms.com/bot"
    assert (settings.web_host, settings.web_port) == ("127.0.0.1", 8080)
    assert settings.configured_channels() == ["web"]


def test_environment_and_dotenv_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DONDOC_TELEGRAM_TOKEN=123:abc\nDONDOC_LOCALE=en\n", "utf-8")
    monkeypatch.setenv("DONDOC_WEB_PORT", "9090")
    settings = Settings()
    assert settings.web_port == 9090
    assert settings.locale == "en"
    assert settings.configured_channels() == ["telegram", "web"]
    assert "123:abc" not in repr(settings)


def test_blank_tokens_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_TELEGRAM_TOKEN", "")
    monkeypatch.setenv("DONDOC_ZALO_TOKEN", " ")
    assert Settings().configured_channels() == ["web"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DONDOC_TIMEZONE", "Mars/Base"),
        ("DONDOC_LOCALE", "fr"),
        ("DONDOC_WEB_PORT", "99999"),
        ("DONDOC_TELEGRAM_BASE_URL", "ftp://x"),
        ("DONDOC_REPLICAS", "0"),
    ],
)
def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_replicas_share_each_platforms_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    assert platform_ceilings(Settings()) == {Channel.TELEGRAM: 30.0, Channel.ZALO: 20.0}
    monkeypatch.setenv("DONDOC_REPLICAS", "3")
    assert platform_ceilings(Settings()) == {Channel.TELEGRAM: 10.0, Channel.ZALO: 20.0 / 3}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("http://127.0.0.1:8080", None),
        ("http://localhost:8080/", None),
        ("https://dondoc.bacson.vn/", "https://dondoc.bacson.vn"),
        ("http://192.168.1.20:8080", "http://192.168.1.20:8080"),
    ],
)
def test_the_public_address_is_one_beyond_this_machine(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: str | None
) -> None:
    if value is not None:
        monkeypatch.setenv("DONDOC_PUBLIC_URL", value)
    assert public_address(Settings()) == expected


def test_a_webhook_needs_its_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_TELEGRAM_WEBHOOK_URL", "https://example.org/tg")
    with pytest.raises(ValidationError, match="DONDOC_TELEGRAM_SECRET"):
        Settings()


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"DONDOC_ZALO_WEBHOOK_URL": "https://x.example/z", "DONDOC_ZALO_SECRET": "short"},
            "8-256",
        ),
        (
            {
                "DONDOC_TELEGRAM_WEBHOOK_URL": "https://x.example/t",
                "DONDOC_TELEGRAM_SECRET": "a b",
            },
            "letters, digits",
        ),
        (
            {"DONDOC_ZALO_WEBHOOK_URL": "http://x.example/z", "DONDOC_ZALO_SECRET": "long-enough"},
            "https://",
        ),
    ],
)
def test_webhook_settings_are_checked(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], message: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=message):
        Settings()
