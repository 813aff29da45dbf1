"""The Telegram layer: thin handlers that turn an Update into a core call and a reply."""
