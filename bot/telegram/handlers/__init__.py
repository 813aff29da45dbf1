"""One module per feature; `bot.app` registers them all in one place."""
