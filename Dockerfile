# The bot's image. Stages:
#   runtime     the production image (also the last stage, `production`, the default target)
#   smoke       runtime plus tests/ and the test tools, for scripts/image-smoke.sh only
# BASE is any Debian-like image with python3 (3.11+) and its venv module: the official slim
# image by default, or a local debootstrapped one (scripts/image-smoke.sh). Dependencies go
# into a virtualenv made with the base's own python3, so both kinds of base work the same.
ARG BASE=python:3.11-slim

FROM ${BASE} AS runtime

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app

# Dependencies first, from the lock alone: editing the code does not reinstall them.
# --require-hashes: every file pip downloads must match requirements.lock. Behind a proxy that
# re-signs TLS, pass its CA bundle as the optional build secret pip_ca (never stored in a layer):
#   docker build --secret id=pip_ca,src=/path/to/ca-bundle.crt .
COPY requirements.lock /tmp/requirements.lock
RUN --mount=type=secret,id=pip_ca \
    if [ -s /run/secrets/pip_ca ]; then export PIP_CERT=/run/secrets/pip_ca; fi \
    && python3 -m venv /opt/venv \
    && pip install --require-hashes --no-deps -r /tmp/requirements.lock \
    && rm /tmp/requirements.lock \
    # Time zones come from the tzdata wheel when the base has no /usr/share/zoneinfo.
    && python -c "import zoneinfo; zoneinfo.ZoneInfo('Europe/Berlin')"

# The code is not pip-installed: bot/ finds migrations/ and content/ next to itself in /app.
WORKDIR /app
COPY alembic.ini ./
COPY migrations ./migrations
COPY content ./content
COPY bot ./bot
RUN python -m compileall -q bot migrations

# A non-root user that owns only the data volume. /app/data points there too, so the
# heartbeat lands in the volume when DATABASE_URL names PostgreSQL.
RUN useradd --uid 10001 --user-group --home-dir /data --no-create-home --shell /usr/sbin/nologin bot \
    && mkdir /data && chown bot:bot /data && ln -s /data /app/data
USER bot
VOLUME ["/data"]
ENV DATABASE_URL=sqlite:////data/bot.sqlite3

# Long polling has no port to probe: the bot touches /data/heartbeat every 30 s and `health`
# reads its age. In webhook mode, `health --webhook` also asks GET /healthz (see README).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "health"]

# `run` applies pending migrations, validates the content bank, then starts polling.
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]


FROM runtime AS smoke
# The test tools (requirements-smoke.lock); never in the production image.
USER root
COPY requirements-smoke.lock /tmp/requirements-smoke.lock
RUN --mount=type=secret,id=pip_ca \
    if [ -s /run/secrets/pip_ca ]; then export PIP_CERT=/run/secrets/pip_ca; fi \
    && pip install --require-hashes --no-deps -r /tmp/requirements-smoke.lock \
    && rm /tmp/requirements-smoke.lock
COPY pyproject.toml ./
COPY tests ./tests
USER bot
# The test suite writes pytest's cache and temporary files; point both into the volume.
ENV PYTEST_ADDOPTS="-p no:cacheprovider --basetemp=/data/pytest" TEST_POSTGRES_URL=""


FROM runtime AS production
