"""Timelines as JSON: a list of events (`at`, `text`, optional `kind`, `key`, `approximate`),
or a document whose `timeline` is one (debrief's own export)."""

from __future__ import annotations

import json
import re
from typing import Any

from debrief_tui.core.text import one_line
from debrief_tui.core.timeline.drafts import DraftBook
from debrief_tui.core.timeline.results import BadLine, ImportResult
from debrief_tui.core.timeline.tables import cell_stamp
from debrief_tui.core.timeline.timeparse import TimeParseError

_DEEPEST = 32
"""Levels of lists and objects an item may hold; an export's hold 1."""


def read_json(text: str, book: DraftBook) -> ImportResult | None:
    """Read the items of `text` into `book`; a result when the whole input is refused."""

    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON number")

    def whole(digits: str) -> int:  # Python reads at most 4,300 digits, with a long message
        if len(digits) > 40:
            raise ValueError(f"a number with {len(digits.lstrip('-'))} digits")
        return int(digits)

    try:
        data: Any = json.loads(text, parse_constant=refuse_constant, parse_int=whole)
    except json.JSONDecodeError as exc:
        return ImportResult([], [BadLine(exc.lineno, "", f"not valid JSON: {exc.msg}")])
    except RecursionError:  # the decoder recurses once per level
        return ImportResult([], [BadLine(1, "", f"nested more than {_DEEPEST} levels deep")])
    except ValueError as exc:
        return ImportResult([], [BadLine(1, "", f"not JSON debrief reads: {exc}")])
    if isinstance(data, dict) and isinstance(data.get("timeline"), list):
        data = data["timeline"]  # debrief's own export, or a document with a timeline
    if not isinstance(data, list):
        reason = "expected a list of events (objects with at and text) or a timeline list"
        return ImportResult([], [BadLine(1, "", reason)])
    book.carry_zone = False  # each item's time stands alone: its zone is not the next one's
    for number, item in enumerate(data, start=1):
        trouble = _problem(item)
        if trouble is not None:
            book.bad.append(BadLine(number, "", trouble))
            continue
        shown = json.dumps(item, ensure_ascii=False)[:200]
        try:
            _item(book, number, shown, item)
        except TimeParseError as exc:
            book.bad.append(BadLine(number, shown, str(exc)))
    return None


def _item(book: DraftBook, number: int, shown: str, item: Any) -> None:
    if not isinstance(item, dict):
        raise TimeParseError("not an object with at and text")
    at, body = item.get("at"), item.get("text")
    if not isinstance(at, str) or not at.strip():
        raise TimeParseError('"at" is missing or not a string')
    if not isinstance(body, str) or not body.strip():
        raise TimeParseError('"text" is missing or not a string')
    kind = item.get("kind") or ""
    if not isinstance(kind, str):
        raise TimeParseError('"kind" is not a string')
    stamp = cell_stamp(book, at, None)._replace(text=one_line(body))
    if item.get("approximate") is True:
        stamp = stamp._replace(approximate=True)
    key = item.get("key") is True or item.get("key_event") is True
    author = item.get("author")
    if author is not None and not isinstance(author, str):
        raise TimeParseError('"author" is not a string')
    author = one_line(author).strip() or None if author else None
    book.add(number, shown, stamp, kind=kind.strip().lower(), key_event=key, author=author)


def _problem(item: Any) -> str | None:
    """What in `item` no file, terminal or database takes: nesting deeper than `_DEEPEST`,
    text or a key with a lone surrogate (a `\\ud800` escape); with where it is."""
    stack: list[tuple[Any, str, int]] = [(item, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str) and not _unicode_text(value):
            return f"{path or 'item'}: not valid Unicode text"
        if isinstance(value, dict | list):
            if depth >= _DEEPEST:
                return f"{path or 'item'}: nested more than {_DEEPEST} levels deep"
            if isinstance(value, list):
                children = [(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
            else:
                if not all(_unicode_text(key) for key in value):
                    return f"{path or 'item'}: has a key that is not valid Unicode text"
                children = [(v, _key_path(path, k), depth + 1) for k, v in value.items()]
            stack.extend(reversed(children))
    return None


def _unicode_text(text: str) -> bool:
    return text.isascii() or not re.search("[\ud800-\udfff]", text)


def _key_path(path: str, key: str) -> str:
    if not (key.isascii() and key.isidentifier()):  # shown escaped, never raw
        return f"{path}[{key[:40]!r}{'…' if len(key) > 40 else ''}]"
    return f"{path}.{key}" if path else key
