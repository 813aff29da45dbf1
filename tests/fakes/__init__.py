"""Test doubles for external services.

The main one is :class:`tests.fakes.bot_api.FakeBotAPI`, a loopback HTTP server that speaks the
Telegram Bot API closely enough that the real python-telegram-bot client can be driven against it,
and strictly enough that content which Telegram would reject fails in tests instead of in
production.
"""
