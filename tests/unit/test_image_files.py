"""The Dockerfile, .dockerignore, compose.yaml and requirements.lock: what a build relies on.

No engine runs in CI, so these read the files; scripts/image-smoke.sh builds and runs them.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

from bot.config import PROJECT_ROOT

DOCKERFILE = (PROJECT_ROOT / "Dockerfile").read_text()


def instructions(text: str) -> list[str]:
    """Dockerfile instructions, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines()))
    return [
        line.strip()
        for line in joined.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def stages(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    current: list[str] = []
    for line in instructions(text):
        if match := re.match(r"FROM \S+ AS (\S+)", line):
            current = found.setdefault(match.group(1), [])
        current.append(line)
    return found


def test_the_base_is_a_build_argument_and_production_is_the_default_target() -> None:
    lines = instructions(DOCKERFILE)
    assert lines[0] == "ARG BASE=python:3.11-slim"
    assert list(stages(DOCKERFILE))[-1] == "production"
    assert stages(DOCKERFILE)["production"] == ["FROM runtime AS production"]


def test_dependencies_install_from_the_lock_before_the_code_is_copied() -> None:
    runtime = stages(DOCKERFILE)["runtime"]
    install = next(i for i, line in enumerate(runtime) if "-r /tmp/requirements.lock" in line)
    assert "--require-hashes" in runtime[install]
    copies = [i for i, line in enumerate(runtime) if line.startswith("COPY ")]
    assert runtime[copies[0]] == "COPY requirements.lock /tmp/requirements.lock"
    assert all(i > install for i in copies[1:])


def test_production_runs_as_a_user_with_a_volume_and_a_health_check() -> None:
    runtime = stages(DOCKERFILE)["runtime"]
    users = [line for line in runtime if line.startswith("USER ")]
    assert users[-1] == "USER bot"
    assert 'VOLUME ["/data"]' in runtime
    assert "ENV DATABASE_URL=sqlite:////data/bot.sqlite3" in runtime
    assert any(line.startswith("HEALTHCHECK ") and '"bot", "health"' in line for line in runtime)
    assert 'CMD ["run"]' in runtime
    assert not any("tests" in line for line in runtime if line.startswith("COPY"))


def test_the_build_context_leaves_out_secrets_and_local_state() -> None:
    rules = (PROJECT_ROOT / ".dockerignore").read_text().split()
    assert rules[rules.index("*") :].count("*") == 1  # everything out, then a list of exceptions
    allowed = {rule.removeprefix("!").rstrip("/") for rule in rules if rule.startswith("!")}
    copied = {
        source
        for line in instructions(DOCKERFILE)
        if line.startswith("COPY ")
        for source in line.split()[1:-1]
    }
    assert copied <= allowed
    assert not {".env", ".venv", ".git", "data"} & allowed


def test_compose_waits_for_a_healthy_postgres_and_reads_env() -> None:
    compose = yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text())
    db, bot = compose["services"]["db"], compose["services"]["bot"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert bot["env_file"] == ".env"
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "/data" in " ".join(bot["volumes"])
    assert "TELEGRAM_BOT_TOKEN" not in bot["environment"]  # from .env only


def locked(path: Path) -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", path.read_text(), re.MULTILINE)
    return {name.lower().replace("_", "-"): version for name, version in pins}


def test_the_lock_pins_every_runtime_dependency_within_pyproject() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["postgres"]]
    pins = locked(PROJECT_ROOT / "requirements.lock")
    for line in wanted:
        requirement = Requirement(line)
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, f"{name} is not in requirements.lock: run scripts/lock.sh"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]}: {line}"
    hashes = (PROJECT_ROOT / "requirements.lock").read_text().count("--hash=sha256:")
    assert hashes >= len(pins)


def test_the_smoke_lock_keeps_the_runtime_pins() -> None:
    runtime = locked(PROJECT_ROOT / "requirements.lock")
    smoke = locked(PROJECT_ROOT / "requirements-smoke.lock")
    assert {"pytest", "pytest-asyncio", "aiohttp"} <= smoke.keys()
    assert {name: smoke[name] for name in smoke.keys() & runtime.keys()} == {
        name: runtime[name] for name in smoke.keys() & runtime.keys()
    }
