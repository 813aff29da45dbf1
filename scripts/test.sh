#!/usr/bin/env bash
# The one way to check the project, locally and in CI: format, lint, types, then every test.
# PostgreSQL tests use TEST_POSTGRES_URL (default: the local server); set it to "" to leave
# them out on a machine without PostgreSQL.
source "$(dirname "$0")/venv.sh"
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
.venv/bin/ruff format --check .
.venv/bin/ruff check .
.venv/bin/mypy bot tests bench
exec .venv/bin/python -m pytest "$@"
