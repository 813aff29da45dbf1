"""A Telegram bot that teaches how mass surveillance works and what people can do about it."""
