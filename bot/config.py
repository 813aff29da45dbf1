"""Typed settings read from the environment (and an optional `.env` file).

Every variable is documented in README.md and `.env.example`. A bad value stops start-up with one
line that names the variable, because an operator should not have to read a traceback to find a
typo in a time zone.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Annotated
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.local_time import canonical_zone

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT_DIR = PROJECT_ROOT / "content"
DEFAULT_DATABASE_URL = "sqlite:///data/bot.sqlite3"
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
# Telegram's own rule for setWebhook's secret_token; it arrives in every delivery's header.
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
HEALTH_PATH = "/healthz"


class SettingsError(ValueError):
    """A configuration value is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    """The bot's configuration; field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_api_base_file_url: str = "https://api.telegram.org/file/bot"
    database_url: str = DEFAULT_DATABASE_URL
    content_dir: Path = DEFAULT_CONTENT_DIR
    admin_user_ids: Annotated[tuple[int, ...], NoDecode] = ()
    default_timezone: str = "UTC"
    log_level: str = "INFO"
    telegram_rate_limit: float = Field(default=30.0, ge=0, le=1000)  # 0: no client-side limit
    tips_rate_limit: float = Field(default=25.0, gt=0, le=1000)
    tips_paid_broadcast: bool = False
    tips_check_interval: float = Field(default=60.0, ge=1, le=3600)
    updates_in_flight: int = Field(default=4, ge=1, le=256)
    # Raw answers older than this fold into per-topic totals; item stats cover this window.
    answer_retention_days: int = Field(default=365, ge=1, le=36500)
    # Far above what a person types or taps while waiting for a reply; a forwarded batch of a
    # hundred messages goes well past it.
    user_queue_limit: int = Field(default=20, ge=1, le=200)
    # PostgreSQL only: every replica's daily tips share one TIPS_RATE_LIMIT through the database.
    shared_tip_budget: bool = True
    # Webhook mode (`run --webhook`) only; checked by `webhook_problems` before it starts.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = Field(default="0.0.0.0", min_length=1)
    webhook_port: int = Field(default=8080, ge=1, le=65535)

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _empty_url_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("webhook_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parsed = urlparse(value)
        if parsed.scheme != "https" or not parsed.hostname:
            raise ValueError(f"Telegram posts only to an https URL: {value!r}")
        if (parsed.path or "/") == HEALTH_PATH:
            raise ValueError(f"{HEALTH_PATH} is the health endpoint; pick another path")
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _telegram_secret(cls, value: object) -> object:
        if value in ("", None):
            return None
        raw = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if not WEBHOOK_SECRET_PATTERN.fullmatch(raw):
            # Never echo the value: it is a credential.
            raise ValueError("must be 1-256 characters, each a letter, a digit, '_' or '-'")
        return value

    @field_validator("telegram_api_base_url", "telegram_api_base_file_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"not an http(s) URL: {value!r}")
        return value

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _comma_separated_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            bad = [part for part in parts if not re.fullmatch(r"-?\d+", part)]
            if bad:
                raise ValueError(f"not a numeric Telegram user id: {bad[0]!r}")
            return tuple(int(part) for part in parts)
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        """A place's IANA zone, UTC or Etc/*; "localtime" would follow whatever the server says."""
        canonical = canonical_zone(value)
        if canonical is None:
            raise ValueError(
                f"unknown IANA time zone: {value!r} (use a place such as Europe/Berlin, or UTC)"
            )
        return canonical

    @field_validator("log_level", mode="before")
    @classmethod
    def _known_level(cls, value: object) -> object:
        level = str(value).upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @cached_property
    def timezone(self) -> ZoneInfo:
        """The default time zone, resolved once: every layer below takes this ZoneInfo, and
        `default_timezone` stays the name the operator wrote."""
        return ZoneInfo(self.default_timezone)

    def token_value(self) -> str | None:
        """The raw token, for the one place that needs it (the Telegram client)."""
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    def webhook_secret_value(self) -> str | None:
        """The raw webhook secret: sent once in setWebhook, compared on every delivery."""
        return self.webhook_secret.get_secret_value() if self.webhook_secret else None

    @property
    def webhook_path(self) -> str:
        """The path of WEBHOOK_URL: where a reverse proxy forwards Telegram's POSTs."""
        return urlparse(self.webhook_url or "").path or "/"


def webhook_problems(settings: Settings) -> list[str]:
    """What webhook mode lacks, one line per variable; the format of `load_settings` errors.

    Separate from field validation because long polling needs none of these.
    """
    problems = []
    if settings.webhook_url is None:
        problems.append("WEBHOOK_URL: required in webhook mode (the public https URL)")
    if settings.webhook_secret is None:
        problems.append("WEBHOOK_SECRET: required in webhook mode (1-256 of A-Z a-z 0-9 _ -)")
    return problems


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning pydantic's report into one line per bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except UnicodeDecodeError as exc:
        raise SettingsError(
            f".env: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
            "save it as UTF-8"
        ) from None
    except OSError as exc:
        raise SettingsError(f".env: cannot be read ({exc.strerror or exc})") from None
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            variable = str(error["loc"][0]).upper() if error["loc"] else "settings"
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"{variable}: {message}")
        raise SettingsError("\n".join(lines)) from None
