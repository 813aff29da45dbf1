#!/usr/bin/env bash
# The one way to check the project, locally and in CI: format, lint, types, then every test.
# PostgreSQL tests use TEST_POSTGRES_URL (default: the local server's `postgres` database); where
# no server answers they are reported as skipped, with how to enable them.
source "$(dirname "$0")/venv.sh"
.venv/bin/ruff format --check .
.venv/bin/ruff check .
.venv/bin/mypy bot tests bench
exec .venv/bin/python -m pytest "$@"
