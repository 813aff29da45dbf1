"""Settings: defaults, parsing, and one clear line per bad variable."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_DATABASE_URL, SettingsError, load_settings
from bot.core.local_time import canonical_zone, resolve_zone


def test_defaults_need_no_environment() -> None:
    settings = load_settings()
    assert settings.telegram_bot_token is None
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.default_timezone == "UTC"
    assert settings.admin_user_ids == ()
    assert settings.tips_rate_limit == 25
    assert settings.updates_in_flight == 4
    assert settings.answer_retention_days == 365


def test_values_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_USER_IDS", " 12, 345 ,")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Asia/Kathmandu")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings()
    assert settings.admin_user_ids == (12, 345)
    assert settings.timezone.key == "Asia/Kathmandu"
    assert settings.log_level == "DEBUG"
    assert settings.telegram_api_base_url == "http://127.0.0.1:8081/bot"


def test_dotenv_file_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("DEFAULT_TIMEZONE=Europe/Berlin\n")
    assert load_settings().default_timezone == "Europe/Berlin"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE: unknown IANA time zone"),
        ("ADMIN_USER_IDS", "12,bob", "ADMIN_USER_IDS: not a numeric Telegram user id: 'bob'"),
        ("TELEGRAM_API_BASE_URL", "api.telegram.org/bot", "TELEGRAM_API_BASE_URL: not an http"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL: must be one of"),
        ("TIPS_RATE_LIMIT", "fast", "TIPS_RATE_LIMIT:"),
        ("UPDATES_IN_FLIGHT", "0", "UPDATES_IN_FLIGHT:"),
        ("ANSWER_RETENTION_DAYS", "0", "ANSWER_RETENTION_DAYS:"),
        ("USER_QUEUE_LIMIT", "0", "USER_QUEUE_LIMIT:"),
    ],
)
def test_bad_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    lines = str(raised.value).splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(message)


def test_token_is_not_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    settings = load_settings()
    assert "ABCDEFGHIJ" not in repr(settings)
    assert settings.token_value() == "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@pytest.mark.parametrize(
    "zone", ["localtime", "Factory", "posixrules", "right/Europe/Berlin", "posix/Asia/Tokyo"]
)
def test_zone_files_that_are_not_places_are_refused(
    monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    """ZoneInfo loads these, but none is a place's clock ("localtime" is the server's)."""
    monkeypatch.setenv("DEFAULT_TIMEZONE", zone)
    with pytest.raises(SettingsError, match=r"^DEFAULT_TIMEZONE: unknown IANA time zone"):
        load_settings()
    assert canonical_zone(zone) is None
    assert resolve_zone(zone)[0] is None  # what a user types when asked for their zone


@pytest.mark.parametrize(
    "zone", ["UTC", "Etc/GMT-3", "Europe/Berlin", "US/Eastern", "europe/paris"]
)
def test_places_utc_and_etc_zones_are_accepted(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", zone)
    assert load_settings().default_timezone == canonical_zone(zone)
    assert resolve_zone(zone)[0] == canonical_zone(zone)
