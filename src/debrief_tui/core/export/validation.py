"""Checking a session document before anything is made from it: its JSON text, what JSON can
hold but debrief cannot keep, and its shape (the JSON Schema in `data/export.schema.json`).

Each refusal is one line naming the path of the value (`actions[3].why_ids[1]`). The rules a
schema cannot state (ids, references, times, the 5 Whys tree) are in `document.py`.

jsonschema is imported on first use only: it costs about 50 ms, which start-up never pays.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from debrief_tui.core.errors import InputError
from debrief_tui.paths import data_path

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

MAX_DEPTH = 32
"""How deeply a document may nest lists and objects; an export nests 4 deep."""

MAX_DIGITS = 40
"""The longest whole number read: far past any id or count, far short of Python's limit."""

READ_VERSIONS = (1,)
"""The `schema_version`s this debrief reads."""

JsonPath = Sequence[str | int]

_SURROGATE = re.compile("[\ud800-\udfff]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _Unreadable(ValueError):
    """A value JSON's text can spell but debrief does not read (NaN, a 5,000-digit number)."""


def _constant(name: str) -> Any:
    raise _Unreadable(f"{name} is not a JSON number")


def _whole(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _Unreadable(f"a number with {len(digits.lstrip('-'))} digits")
    return int(digits)


def parse_json(text: str, name: str) -> Any:
    """The JSON value in `text`; InputError naming the file `name` when it cannot be read."""
    try:
        return json.loads(text, parse_constant=_constant, parse_int=_whole)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except _Unreadable as exc:
        raise InputError(f"{name} is not JSON debrief reads: {exc}") from None
    except RecursionError:  # the decoder recurses once per level
        raise InputError(f"{name}: nested more than {MAX_DEPTH} levels deep") from None


def where(path: JsonPath) -> str:
    """`actions[3].owner` for the path ("actions", 3, "owner"); `document` for the whole."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _NAME.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{show(part)}]"
    return out or "document"


def show(value: Any) -> str:
    """A short, one-line, printable spelling of a JSON value for a message."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        digits = str(abs(value))
        return str(value) if len(digits) <= 20 else f"a number with {len(digits)} digits"
    if isinstance(value, str):
        # repr writes controls, direction overrides and lone surrogates out as escapes.
        spelled = repr(value[:40])
        return spelled if len(value) <= 40 else f"{spelled[:-1]}…{spelled[-1]}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return repr(value)


def check_plain(raw: Any) -> None:
    """InputError for what JSON can hold but debrief cannot keep or show: nesting deeper than
    MAX_DEPTH, and text (or a key) with a lone surrogate (a `\\ud800` escape) that no file,
    terminal or database takes. The first such value in the document is named."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(raw, ())]
    while stack:
        value, path = stack.pop()
        if path and isinstance(path[-1], str) and _SURROGATE.search(path[-1]):
            raise InputError(f"{where(path[:-1])}: has a key that is not valid Unicode text")
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise InputError(f"{where(path)}: not valid Unicode text")
        elif isinstance(value, dict | list):
            if len(path) >= MAX_DEPTH:
                raise InputError(f"{where(path)}: nested more than {MAX_DEPTH} levels deep")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend(reversed([(item, (*path, key)) for key, item in items]))


def check_version(raw: Any) -> None:
    """InputError for a `schema_version` this debrief does not read (none is read as 1)."""
    if not isinstance(raw, dict) or "schema_version" not in raw:
        return
    version = raw["schema_version"]
    if type(version) is int and version in READ_VERSIONS:
        return
    reads = " and ".join(str(v) for v in READ_VERSIONS)
    if type(version) is not int:
        raise InputError(
            f"schema_version: must be a whole number (this debrief reads {reads}), "
            f"not {show(version)}"
        )
    newer = "; a newer debrief may read it" if version > max(READ_VERSIONS) else ""
    raise InputError(
        f"schema_version: {show(version)} is not a version this debrief reads "
        f"(it reads {reads}){newer}"
    )


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = json.loads(data_path("export.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def check_shape(raw: Any) -> None:
    """InputError for the problem jsonschema finds most telling (`best_match`), if any."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(raw))
    if error is not None:
        raise InputError(describe(error))


_TYPES = {
    "object": "an object",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _type_of(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return show(value)
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


def describe(error: ValidationError) -> str:
    """A jsonschema error as one line in debrief's words: `actions[3].owner: must be text`."""
    path = list(error.absolute_path)
    value: Any = error.instance
    wanted: Any = error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    match error.validator:
        case "type":
            kinds = [wanted] if isinstance(wanted, str) else list(wanted)
            expected = " or ".join(_TYPES.get(k, k) for k in kinds)
            return f"{where(path)}: must be {expected}, not {_type_of(value)}"
        case "required":
            missing = next((k for k in wanted if k not in value), wanted[0])
            return f"{where([*path, missing])}: missing"
        case "additionalProperties":
            known = schema.get("properties", {})
            extra = next((k for k in value if k not in known), "?")
            return f"{where([*path, extra])}: not a key debrief's export has"
        case "enum":
            names = [p for p in path if isinstance(p, str)]
            noun = schema.get("title") or (names[-1].replace("_", " ") if names else "value")
            choices = ", ".join(str(c) for c in wanted if c is not None)
            return f"{where(path)}: unknown {noun} {show(value)} (one of {choices})"
        case "const":
            return f"{where(path)}: must be {json.dumps(wanted)}, not {show(value)}"
        case "pattern" if wanted == "\\S":
            return f"{where(path)}: must not be blank"
        case "minimum":
            return f"{where(path)}: must be at least {wanted}, not {show(value)}"
        case "maximum":
            return f"{where(path)}: must be at most {wanted}, not {show(value)}"
        case "uniqueItems":
            index = _first_repeat(value)
            return f"{where([*path, index])}: {show(value[index])} is listed twice"
    message = " ".join(error.message.split())
    return f"{where(path)}: {message if len(message) <= 100 else message[:99] + '…'}"


def _first_repeat(values: Iterable[Any]) -> int:
    """The index of the first value equal to one before it (as JSON compares: 1 is not true)."""
    seen: set[str] = set()
    for index, value in enumerate(values):
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 2.0 is 2
        key = json.dumps([isinstance(value, bool), value], sort_keys=True)
        if key in seen:
            return index
        seen.add(key)
    return 0
