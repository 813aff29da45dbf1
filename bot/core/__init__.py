"""The Telegram-free core: plain data in, plain data out, so every rule is unit-testable."""
