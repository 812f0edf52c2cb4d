"""Everything configurable, from DONDOC_* environment variables and `.env`."""

import re
from typing import Final, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from locales import N_

_TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class SettingValueError(ValueError):
    """Why a setting is refused: English for logs, `msgid` and `params` to show it translated."""

    def __init__(self, msgid: str, /, **params: str) -> None:
        super().__init__(msgid.format(**params))
        self.msgid = msgid
        self.params = params


MIN_SECRET_KEY = 32  # bytes: what `dondoc secret` prints is 32 random bytes, URL-safe base64
MIN_SECRET_SYMBOLS = 12  # distinct characters: "aaaa…" or "1234…" is long but not random


def is_random_key(key: str) -> bool:
    """Whether `key` may sign web sessions: long enough, and not a pattern."""
    return len(key.encode("utf-8")) >= MIN_SECRET_KEY and len(set(key)) >= MIN_SECRET_SYMBOLS


DEFAULT_TIMEZONE: Final = "Asia/Ho_Chi_Minh"
"""Việt Nam's zone: the wards' unless `DONDOC_TIMEZONE` says otherwise."""


class Settings(BaseSettings):
    """dondoc's configuration; built once by the CLI and passed down."""

    model_config = SettingsConfigDict(
        env_prefix="DONDOC_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = "sqlite:///dondoc.db"
    timezone: str = DEFAULT_TIMEZONE
    locale: Literal["vi", "en"] = "vi"
    telegram_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_secret: SecretStr | None = None
    zalo_token: SecretStr | None = None
    zalo_base_url: str = "https://bot-api.zaloplatforms.com/bot"
    zalo_webhook_url: str | None = None
    zalo_secret: SecretStr | None = None
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)
    public_url: str | None = None
    secret_key: SecretStr | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_file: str = "dondoc.log"
    replicas: int = Field(default=1, ge=1, le=64)

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_in_capitals(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    max_form_bytes: int = Field(default=64 * 1024, ge=1024)
    max_upload_bytes: int = Field(default=21 * 1024 * 1024, ge=1024)

    @field_validator(
        "telegram_token",
        "telegram_webhook_url",
        "telegram_secret",
        "zalo_token",
        "zalo_webhook_url",
        "zalo_secret",
        "secret_key",
        "public_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # compose passes `${DONDOC_TELEGRAM_TOKEN:-}` as an empty string: that means "not set".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            # ZoneInfoNotFoundError is a KeyError, which pydantic would let through.
            raise SettingValueError(N_("unknown time zone {value}"), value=value) from error
        return value

    @field_validator(
        "telegram_base_url",
        "zalo_base_url",
        "telegram_webhook_url",
        "zalo_webhook_url",
        "public_url",
    )
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise SettingValueError(N_("not an http(s) address: {value}"), value=value)
        return value

    @model_validator(mode="after")
    def _webhooks_have_secrets(self) -> Self:
        if self.telegram_webhook_url and self.telegram_secret is None:
            raise SettingValueError(
                N_("{name} needs {other}"),
                name="DONDOC_TELEGRAM_WEBHOOK_URL",
                other="DONDOC_TELEGRAM_SECRET",
            )
        if self.zalo_webhook_url and self.zalo_secret is None:
            raise SettingValueError(
                N_("{name} needs {other}"),
                name="DONDOC_ZALO_WEBHOOK_URL",
                other="DONDOC_ZALO_SECRET",
            )
        for name, url in (
            ("DONDOC_TELEGRAM_WEBHOOK_URL", self.telegram_webhook_url),
            ("DONDOC_ZALO_WEBHOOK_URL", self.zalo_webhook_url),
        ):
            if url and not url.startswith("https://"):
                raise SettingValueError(
                    N_("{name} must be an https:// address the platform can reach"), name=name
                )
        return self

    @field_validator("secret_key")
    @classmethod
    def _random_secret_key(cls, value: SecretStr | None) -> SecretStr | None:
        # A short or patterned key can be guessed from one cookie, and sessions forged with it.
        if value is not None and not is_random_key(value.get_secret_value()):
            raise SettingValueError(
                N_("use at least {count} random bytes; `dondoc secret` prints a new key"),
                count=str(MIN_SECRET_KEY),
            )
        return value

    @field_validator("telegram_secret")
    @classmethod
    def _telegram_secret_form(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - as a webhook secret token.
        if value is not None and not _TELEGRAM_SECRET.fullmatch(value.get_secret_value()):
            raise SettingValueError(N_("use 1-256 characters: letters, digits, _ and -"))
        return value

    @field_validator("zalo_secret")
    @classmethod
    def _zalo_secret_form(cls, value: SecretStr | None) -> SecretStr | None:
        # The Zalo Bot Platform wants a webhook secret of 8-256 characters (docs/spec/zalo.md).
        if value is not None and not 8 <= len(value.get_secret_value()) <= 256:
            raise SettingValueError(N_("use 8-256 characters"))
        return value

    @property
    def https(self) -> bool:
        """Whether people reach the web pages over https (cookies Secure, HSTS on)."""
        return self.public_url is not None and self.public_url.startswith("https://")

    @property
    def zone(self) -> ZoneInfo:
        """The organization's time zone."""
        return ZoneInfo(self.timezone)

    def configured_channels(self) -> list[str]:
        """The chat channels that have what they need to start (the web chat always does)."""
        channels = []
        if self.telegram_token is not None:
            channels.append("telegram")
        if self.zalo_token is not None:
            channels.append("zalo")
        channels.append("web")
        return channels
