# A small image that runs the bot with long polling. Data (SQLite) lives in the /app/data volume.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md alembic.ini ./
COPY bot ./bot
COPY migrations ./migrations
COPY content ./content
# Editable, so the bundled content/ and migrations/ are found next to the package.
RUN pip install -e '.[postgres]'

RUN useradd --create-home --uid 10001 bot && mkdir -p /app/data && chown bot /app/data
USER bot
VOLUME ["/app/data"]

# `run` applies pending migrations, validates the content bank, then starts polling.
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
