"""The meeting agenda: ordered stages with a timebox and the facilitator's prompts.

Read from `data/agenda.toml` or a team's own file. A malformed file is refused with the line
and the problem, never half-read.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import NamedTuple

from debrief_tui.paths import data_path

MAX_TIMEBOX_MINUTES = 480


class AgendaError(ValueError):
    """An agenda file that cannot be used; the message names the file, the line and the problem."""


# NamedTuples rather than dataclasses here and in the other modules read before the first
# frame: building a dataclass costs over a millisecond at import, a NamedTuple a fifth of it.
class Stage(NamedTuple):
    """One stage of the meeting."""

    key: str
    title: str
    timebox_minutes: int
    prompts: tuple[str, ...]

    @property
    def timebox_seconds(self) -> int:
        """The timebox in seconds."""
        return self.timebox_minutes * 60


class Agenda(NamedTuple):
    """The stages of a meeting, in order."""

    stages: tuple[Stage, ...]
    source: str

    @property
    def total_seconds(self) -> int:
        """The sum of all timeboxes."""
        return sum(s.timebox_seconds for s in self.stages)

    def index_of(self, key: str | None) -> int:
        """The position of the stage with this key; the first stage for an unknown key."""
        for i, stage in enumerate(self.stages):
            if stage.key == key:
                return i
        return 0


def default_agenda_path() -> Path:
    """The agenda shipped with debrief."""
    return data_path("agenda.toml")


def load_agenda(path: Path | str | None = None) -> Agenda:
    """Read and check an agenda file (the shipped one when `path` is None)."""
    path = Path(path).expanduser() if path else default_agenda_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AgendaError(f"{path}: cannot read the agenda ({exc})") from None
    return parse_agenda(text, str(path))


def parse_agenda(text: str, source: str = "agenda") -> Agenda:
    """Check agenda TOML text and return the agenda; AgendaError names the line and problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AgendaError(f"{source}: {exc}") from None
    items = raw.get("stage")
    headers = [i + 1 for i, line in enumerate(text.splitlines()) if _is_stage_header(line)]
    if not isinstance(items, list) or not items:
        raise AgendaError(f"{source}: no [[stage]] tables; an agenda needs at least one stage")
    stages: list[Stage] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        header_line = headers[index] if index < len(headers) else 1

        def where(key: str | None = None, _start: int = header_line) -> str:
            return f"{source}, line {_line_of(text, _start, key)}"

        for key in ("key", "title", "timebox"):
            if key not in item:
                raise AgendaError(f"{where()}: stage {index + 1} has no {key!r}")
        key, title, timebox = item["key"], item["title"], item["timebox"]
        if not isinstance(key, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", key):
            raise AgendaError(
                f"{where('key')}: key must be lower-case letters, digits, '-' or '_' ({key!r})"
            )
        if key in seen:
            raise AgendaError(
                f"{where('key')}: key {key!r} is used twice (first on line {seen[key]})"
            )
        seen[key] = _line_of(text, header_line, "key")
        if not isinstance(title, str) or not title.strip():
            raise AgendaError(f"{where('title')}: title must be a non-empty string")
        if (
            isinstance(timebox, bool)
            or not isinstance(timebox, int)
            or not 1 <= timebox <= MAX_TIMEBOX_MINUTES
        ):
            raise AgendaError(
                f"{where('timebox')}: timebox must be whole minutes from 1 to "
                f"{MAX_TIMEBOX_MINUTES} (got {timebox!r})"
            )
        prompts = item.get("prompts", [])
        if not isinstance(prompts, list) or not all(isinstance(p, str) for p in prompts):
            raise AgendaError(f"{where('prompts')}: prompts must be a list of strings")
        stages.append(Stage(key, title.strip(), timebox, tuple(p.strip() for p in prompts)))
    return Agenda(tuple(stages), source)


def _is_stage_header(line: str) -> bool:
    return line.strip().replace(" ", "").startswith("[[stage]]")


def _line_of(text: str, header_line: int, key: str | None) -> int:
    """The line of `key = ...` within the stage starting at `header_line` (or the header)."""
    if key is None:
        return header_line
    lines = text.splitlines()
    # Lines are numbered from 1, so index `header_line` is the line after the header.
    for index in range(header_line, len(lines)):
        if _is_stage_header(lines[index]):
            break
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[index]):
            return index + 1
    return header_line
