"""Pictures the bot sends or saves, drawn with Pillow: no Telegram, no database."""
