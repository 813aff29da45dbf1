"""Storage: SQLAlchemy 2 models, the engine, and small repositories that return plain data."""
