"""The bot token never reaches a log line, even at DEBUG with httpx logging every URL."""

from __future__ import annotations

import io
import logging

import httpx
import pytest

from bot.logging_setup import RedactingFormatter, configure_logging, redact

TOKEN = "987654321:AAHsecretSECRETsecret_token-XYZ123"


def test_redact_removes_token_shapes_and_literal_secrets() -> None:
    line = f"POST https://api.telegram.org/bot{TOKEN}/getMe and 123:short"
    cleaned = redact(line, secrets=("123:short",))
    assert TOKEN not in cleaned
    assert "123:short" not in cleaned
    assert "<redacted-token>" in cleaned


def test_no_log_line_contains_the_token_at_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", secrets=(TOKEN,))
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler.formatter, RedactingFormatter)
    monkeypatch.setattr(handler, "stream", stream)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"ok": True, "result": True})

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        client.post(f"https://api.telegram.org/bot{TOKEN}/getMe")
    logging.getLogger("bot").debug("token in args: %s", TOKEN)
    try:
        raise ValueError(f"failed calling /bot{TOKEN}/sendMessage")
    except ValueError:
        logging.getLogger("bot").exception("with traceback")
    output = stream.getvalue()
    assert "HTTP Request: POST https://api.telegram.org/bot<redacted-token>/getMe" in output
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output
