#!/usr/bin/env bash
# Regenerate requirements.lock: the image's runtime dependencies (pyproject.toml's dependencies
# plus the postgres extra), every version pinned, every file hashed; and requirements-smoke.lock,
# the test tools of the image's smoke stage (requirements-smoke.in). pip-compile runs in a
# throwaway virtualenv so the lock never depends on what the developer's .venv happens to hold.
# Run it with Python 3.11, the image's Python, after changing dependencies in pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3.11}"
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
"$python" -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install --quiet --disable-pip-version-check 'pip-tools>=7.4,<8'
"$tools/venv/bin/pip-compile" --quiet --extra postgres --generate-hashes --strip-extras \
    --no-emit-index-url --no-emit-find-links --allow-unsafe --output-file requirements.lock pyproject.toml
"$tools/venv/bin/pip-compile" --quiet --generate-hashes --strip-extras \
    --no-emit-index-url --no-emit-find-links --allow-unsafe \
    --output-file requirements-smoke.lock requirements-smoke.in
echo "requirements.lock and requirements-smoke.lock regenerated; commit them with the pyproject.toml change"
