"""Sending daily tips: the pass over everyone due (the bot's rate limiter paces it)."""
