"""Storage: Core tables (tables.py), the engine (database.py), and small repositories that
return plain data; depends on bot.core alone."""
