#!/usr/bin/env bash
# Set up .venv (first time only) and start the bot. Extra arguments go to `python -m bot`,
# e.g. `./scripts/run.sh chat` or `./scripts/run.sh content check`.
source "$(dirname "$0")/venv.sh"
if [ "$#" -eq 0 ]; then set -- run; fi
exec .venv/bin/python -m bot "$@"
