"""Load every YAML file of a content directory, validate it, and build the ContentBank.

All problems are collected, not just the first, and each names the file, the line, the item and
the field, so an author fixes a broken bank in one pass. Nothing here raises a traceback at a
user: callers get a ContentErrors with the whole list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.contentbank import quality
from bot.contentbank.cues import CueStats, cue_stats
from bot.contentbank.schema import ITEM_MODELS, KINDS, NESTED_KINDS, SECTIONS, ItemDoc
from bot.core import wording
from bot.core.content import CheckupDay, ContentBank, Explainer, Question, Tip, Topic


@dataclass(frozen=True, slots=True)
class ContentError:
    """One problem in one place of the content bank."""

    file: str
    line: int | None
    item: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where]
        if self.item:
            parts.append(f"item {self.item}")
        if self.field:
            parts.append(f"field {self.field}")
        return ": ".join(parts) + f": {self.message}"


class ContentErrors(Exception):
    """The content bank is broken; `errors` lists every problem found."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(f"{wording.problems(len(errors))} in the content bank")
        self.errors = errors

    def report(self) -> str:
        return "\n".join(str(error) for error in self.errors)


@dataclass(slots=True)
class _Located:
    """A validated item with where it came from, for cross-file checks."""

    section: str
    model: ItemDoc
    file: str
    line: int
    nested: tuple[tuple[str, str, int], ...] = ()  # (kind, id, line) of a check-up day's items


@dataclass(frozen=True, slots=True)
class ContentReport:
    """`content check`'s verdict: the bank, what breaks the quality rules, what is past review."""

    bank: ContentBank
    problems: list[ContentError]
    stale: list[ContentError]
    stats: CueStats


def load_content(directory: Path) -> ContentBank:
    """Validate every `*.yaml`/`*.yml` file under `directory` and return the bank.

    Raises ContentErrors if the bot could not send some item; the quality rules are
    `check_content`'s.
    """
    return _build(_load_located(directory))


def check_content(directory: Path, today: dt.date) -> ContentReport:
    """Everything `load_content` checks, then the quality rules and items past `review_by`."""
    located = _load_located(directory)
    bank = _build(located)
    where = {(KINDS[i.section], i.model.id): (i.file, i.line) for i in located}
    for item in located:
        where.update({(kind, nid): (item.file, line) for kind, nid, line in item.nested})
    display = _display(directory)

    def error(kind: str, item_id: str, field: str | None, message: str) -> ContentError:
        file, line = where.get((kind, item_id), (display, None))
        label = f"{kind} {item_id}" if kind != "bank" else None
        return ContentError(file, line, label, field, message)

    stats = cue_stats(bank.questions + bank.checkup_questions())
    broken = [error(*problem) for problem in quality.problems(bank, stats)]
    stale = [
        error(kind, item.id, "review_by", f"past its review date {item.freshness.review_by}")
        for kind, item in bank.reviewed_items()
        if item.freshness.is_stale(today)
    ]
    return ContentReport(bank, broken, stale, stats)


def _load_located(directory: Path) -> list[_Located]:
    if not directory.is_dir():
        raise ContentErrors([ContentError(str(directory), None, None, None, "no such directory")])
    errors: list[ContentError] = []
    located: list[_Located] = []
    files = sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml"))
    if not files:
        errors.append(ContentError(str(directory), None, None, None, "no .yaml files found"))
    for path in files:
        if path.is_dir():
            message = "is a folder, not a content file; rename it so it does not end in .yaml"
            errors.append(ContentError(_display(path), None, None, None, message))
            continue
        located.extend(_load_file(path, _display(path), errors))
    errors.extend(_cross_checks(located))
    if not errors:  # a day that failed validation would look like a gap in the course
        errors.extend(_checkup_checks(located))
    if errors:
        raise ContentErrors(errors)
    return located


def _display(path: Path) -> str:
    """The path as the author would type it: relative to the working directory if possible."""
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return str(path.relative_to(Path.cwd()))
    return str(path)


def _load_file(path: Path, name: str, errors: list[ContentError]) -> Iterator[_Located]:
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except UnicodeDecodeError:
        errors.append(ContentError(name, None, None, None, "is not UTF-8 text"))
        return
    except OSError as exc:
        errors.append(ContentError(name, None, None, None, f"cannot be read: {exc.strerror}"))
        return
    except yaml.YAMLError as exc:
        errors.append(_yaml_error(name, exc))
        return
    if data is None:
        errors.append(ContentError(name, None, None, None, "is empty; delete it or add items"))
        return
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        errors.append(ContentError(name, 1, None, None, f"must be a mapping of {SECTIONS}"))
        return
    for key_node, value_node in root.value:
        section = key_node.value
        if section not in SECTIONS:
            errors.append(
                ContentError(
                    name,
                    key_node.start_mark.line + 1,
                    None,
                    section,
                    f"unknown section; expected one of {', '.join(SECTIONS)}",
                )
            )
            continue
        items = data.get(section)
        if items is None:
            continue
        if not isinstance(items, list) or not isinstance(value_node, yaml.SequenceNode):
            errors.append(
                ContentError(name, value_node.start_mark.line + 1, None, section, "must be a list")
            )
            continue
        for raw, node in zip(items, value_node.value, strict=True):
            yield from _validate_item(section, raw, node, name, errors)


def _yaml_error(name: str, exc: yaml.YAMLError) -> ContentError:
    """Point where the problem starts: the context mark (an unclosed quote, the block a bad
    indent belongs to) is usually where the author must look, the problem mark where PyYAML gave
    up."""
    problem = getattr(exc, "problem", None) or str(exc)
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    message = f"is not valid YAML: {problem}"
    if mark is not None:
        message += f" (line {mark.line + 1}, column {mark.column + 1})"
    if context and context_mark is not None:
        line = context_mark.line + 1
        message += f", {context} at line {context_mark.line + 1}, column {context_mark.column + 1}"
    return ContentError(name, line, None, None, message)


def _validate_item(
    section: str, raw: Any, node: yaml.Node, name: str, errors: list[ContentError]
) -> Iterator[_Located]:
    line = node.start_mark.line + 1
    kind = KINDS[section]
    item_id = raw.get("id") if isinstance(raw, dict) else None
    label = f"{kind} {item_id}" if isinstance(item_id, str) else f"{kind} #{line}"
    try:
        model = ITEM_MODELS[section].model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            loc: list[str | int] = list(error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            where_label, loc = _nested_label(raw, loc, label)
            field = ".".join(str(part) for part in loc) if loc else None
            path: list[str | int] = list(error["loc"])
            if not loc and ":" in message:  # model-level checks name their field first
                field, message = (s.strip() for s in message.split(":", 1))
                if path:  # a nested item's own check: point at that field inside it
                    path.append(field)
            field_line = _path_line(node, path, field)
            errors.append(ContentError(name, field_line or line, where_label, field, message))
        return
    yield _Located(section, model, name, line, tuple(_nested_lines(node)))


def _nested_label(raw: Any, loc: list[str | int], label: str) -> tuple[str, list[str | int]]:
    """An error inside a check-up day's action or poll names that item, not the whole day."""
    if len(loc) < 2 or loc[0] not in NESTED_KINDS or not isinstance(loc[1], int):
        return label, loc
    items = raw.get(loc[0]) if isinstance(raw, dict) else None
    inner = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
    inner_id = inner.get("id") if isinstance(inner, dict) else None
    if not isinstance(inner_id, str):
        return label, loc
    return f"{NESTED_KINDS[str(loc[0])]} {inner_id}", loc[2:]


def _path_line(node: yaml.Node, loc: list[str | int], field: str | None) -> int | None:
    """The line of the deepest node on `loc` (mapping keys and list indexes), else of `field`."""
    found: int | None = None
    current: yaml.Node | None = node
    for part in loc:
        if isinstance(current, yaml.MappingNode):
            current = next((v for k, v in current.value if k.value == part), None)
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            current = current.value[part] if part < len(current.value) else None
        else:
            current = None
        if current is None:
            break
        found = int(current.start_mark.line) + 1
    if found is not None and len(loc) > 1 and loc[0] in NESTED_KINDS:
        return found
    return _field_line(node, str(loc[0]) if loc else field)


def _nested_lines(node: yaml.Node) -> Iterator[tuple[str, str, int]]:
    if not isinstance(node, yaml.MappingNode):
        return
    for key_node, value_node in node.value:
        kind = NESTED_KINDS.get(key_node.value)
        if kind is None or not isinstance(value_node, yaml.SequenceNode):
            continue
        for inner in value_node.value:
            if isinstance(inner, yaml.MappingNode):
                ids = [v.value for k, v in inner.value if k.value == "id"]
                if ids:
                    yield kind, str(ids[0]), int(inner.start_mark.line) + 1


def _field_line(node: yaml.Node, field: str | None) -> int | None:
    if field is None or not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if key_node.value == field:
            return int(value_node.start_mark.line) + 1
    return None


def _cross_checks(items: list[_Located]) -> Iterator[ContentError]:
    """Rules that span items and files: unique ids, known topics, one explainer per topic."""
    seen: dict[tuple[str, str], _Located] = {}
    topics = {i.model.id for i in items if i.section == "topics"}
    explained: dict[str, _Located] = {}
    for item in items:
        item_id = item.model.id
        label = f"{KINDS[item.section]} {item_id}"
        first = seen.setdefault((item.section, item_id), item)
        if first is not item:
            yield ContentError(
                item.file,
                item.line,
                label,
                "id",
                f"duplicate id; first used at {first.file}:{first.line}",
            )
        topic = getattr(item.model, "topic", None)
        if topic is not None and topic not in topics:
            yield ContentError(
                item.file,
                item.line,
                label,
                "topic",
                f"unknown topic {topic!r}; known: {', '.join(sorted(topics)) or 'none'}",
            )
        if item.section == "explainers" and topic is not None:
            other = explained.setdefault(topic, item)
            if other is not item:
                yield ContentError(
                    item.file,
                    item.line,
                    label,
                    "topic",
                    f"topic {topic!r} already has an explainer at {other.file}:{other.line}",
                )


def _checkup_checks(items: list[_Located]) -> Iterator[ContentError]:
    """The course must run from day 1 without gaps, and nested ids must be unique too."""
    days = [i for i in items if i.section == "checkup"]
    first_line: dict[tuple[str, str], tuple[str, int]] = {
        ("question", i.model.id): (i.file, i.line) for i in items if i.section == "questions"
    }
    by_number: dict[int, _Located] = {}
    for item in days:
        number = getattr(item.model, "day", 0)
        other = by_number.setdefault(number, item)
        if other is not item:
            yield ContentError(
                item.file,
                item.line,
                f"day {item.model.id}",
                "day",
                f"day {number} is already {other.model.id} at {other.file}:{other.line}",
            )
        for kind, nested_id, line in item.nested:
            seen = first_line.setdefault((kind, nested_id), (item.file, line))
            if seen != (item.file, line):
                yield ContentError(
                    item.file,
                    line,
                    f"{kind} {nested_id}",
                    "id",
                    f"duplicate id; first used at {seen[0]}:{seen[1]}",
                )
    for number in range(1, len(by_number) + 1):
        if number not in by_number and days:
            yield ContentError(
                days[0].file, None, None, "day", f"the check-up has no day {number}; number 1..N"
            )


def _build(items: list[_Located]) -> ContentBank:
    def of(section: str) -> list[Any]:
        return [i.model.to_core() for i in items if i.section == section]

    topics: list[Topic] = of("topics")
    explainers: list[Explainer] = of("explainers")
    questions: list[Question] = of("questions")
    tips: list[Tip] = of("tips")
    checkup: list[CheckupDay] = sorted(of("checkup"), key=lambda d: d.day)
    return ContentBank(
        tuple(topics), tuple(explainers), tuple(questions), tuple(tips), tuple(checkup)
    )
