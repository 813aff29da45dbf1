"""The layers of docs/architecture.md, checked on the import graph and on attribute access.

A rule here fails the build when code takes a shortcut the picture does not allow: a rule in
`bot/core` reaching for the database, a handler calling a repository, or any module leaning on a
private attribute of a library object (which can change in any release).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"

# package prefix -> module prefixes it must not import
FORBIDDEN = {
    "bot.core": (
        "bot.flows",
        "bot.storage",
        "bot.telegram",
        "bot.delivery",
        "bot.terminal",
        "sqlalchemy",
        "asyncio",
        "telegram",
    ),
    # Storage depends on the core alone: no settings, no content loading, nothing above it.
    "bot.storage": (
        "bot.flows",
        "bot.telegram",
        "bot.delivery",
        "bot.terminal",
        "bot.config",
        "bot.contentbank",
        "bot.app",
        "bot.startup",
        "bot.cli_tips",
        "telegram",
    ),
    "bot.flows": ("bot.telegram", "bot.terminal", "bot.delivery", "telegram"),
    "bot.telegram.handlers": ("bot.storage", "sqlalchemy"),
    "bot.terminal": ("bot.storage.repositories", "bot.storage.tables", "bot.telegram", "telegram"),
    # Pictures are drawn from core records only, so Telegram and the terminal can share them.
    "bot.images": ("bot.flows", "bot.storage", "bot.telegram", "bot.terminal", "telegram"),
}


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(BOT.rglob("*.py")):
        parts = path.relative_to(BOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, ast.parse(path.read_text(), str(path))


def imports_of(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:  # "from bot.storage import database" names a module too
                yield node.lineno, f"{node.module}.{alias.name}"


def layer_violations(name: str, tree: ast.Module) -> list[str]:
    found = []
    for layer, forbidden in FORBIDDEN.items():
        if name != layer and not name.startswith(layer + "."):
            continue
        for line, imported in imports_of(tree):
            if any(imported == f or imported.startswith(f + ".") for f in forbidden):
                found.append(f"{name}:{line} imports {imported} ({layer} must not)")
    return found


def private_accesses(name: str, tree: ast.Module) -> list[str]:
    """`thing._attribute` where `thing` is not self or cls: another object's private part."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        ):
            found.append(f"{name}:{node.lineno} uses .{node.attr}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and str(node.args[1].value).startswith("_")
            and not str(node.args[1].value).startswith("__")
        ):
            found.append(f"{name}:{node.lineno} uses {node.func.id}(..., {node.args[1].value!r})")
    return found


def test_layers_import_only_downwards() -> None:
    problems = [v for name, tree in modules() for v in layer_violations(name, tree)]
    assert problems == []


def test_no_private_attribute_of_another_object_is_used() -> None:
    problems = [v for name, tree in modules() for v in private_accesses(name, tree)]
    assert problems == []


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        ("bot.core.x", "from sqlalchemy import Connection", "imports sqlalchemy"),
        ("bot.core.x", "import asyncio", "imports asyncio"),
        ("bot.core.x", "from bot.storage import database", "imports bot.storage"),
        ("bot.telegram.handlers.x", "from bot.storage.repositories import users", "bot.storage"),
        ("bot.storage.x", "from bot.config import PROJECT_ROOT", "imports bot.config"),
    ],
)
def test_the_layer_check_catches_a_shortcut(name: str, source: str, expected: str) -> None:
    assert any(expected in v for v in layer_violations(name, ast.parse(source)))


def test_the_private_check_catches_a_library_internal() -> None:
    tree = ast.parse("async def f(bot):\n    await bot._post('sendMessage', {})\n")
    assert private_accesses("bot.x", tree) == ["bot.x:2 uses ._post"]
    assert private_accesses("bot.x", ast.parse("self._lock = 1")) == []
