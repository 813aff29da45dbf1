"""Benchmarks that print a table; run them with `.venv/bin/python -m bench.<name>`."""
