"""Chat with the bot in a terminal: the same core and database, no Telegram needed."""
