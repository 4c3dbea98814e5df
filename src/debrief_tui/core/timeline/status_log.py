"""Status-page update logs, as Statuspage and similar services publish an incident's history.

Each update is a status word on a line of its own (`Resolved`, `Monitoring`, `Update`,
`Identified`, `Investigating`, `Postmortem`), the update's text, then `Posted Jan 12, 2022 -
14:05 PST`; the newest update comes first. Each becomes one event at its posted time, with its
status; times inside the texts ("At approximately 15:00 UTC, ...") are the update's words, not
events. The order is put right when the events are settled.
"""

from __future__ import annotations

import re
from functools import cache

from debrief_tui.core.timeline.drafts import DraftBook
from debrief_tui.core.timeline.results import BadLine
from debrief_tui.core.timeline.stamps import read_stamp
from debrief_tui.core.timeline.timeparse import TimeParseError

STATUS_WORDS = (
    "investigating",
    "identified",
    "monitoring",
    "update",
    "resolved",
    "postmortem",
    "post-mortem",
    "scheduled",
    "in progress",
    "verifying",
    "completed",
)
"""The status words of Statuspage (and of most status services) that open an update."""


@cache
def _posted() -> re.Pattern[str]:
    # "Posted Apr 05, 2022 - 16:43 UTC", "Posted 2 days ago. Apr 05, 2022 - 16:43 UTC"
    return re.compile(r"^\s*Posted\s+(?:on\s+)?(?:[\w ]+\bago\.?\s+)?(?P<when>\S.*)$", re.I)


def is_status_log(lines: list[str]) -> bool:
    """Whether `lines` are a status page's updates: a `Posted` line with a date and a time
    after a status word."""
    seen_word = False
    for line in lines:
        stripped = line.strip().lower()
        if stripped in STATUS_WORDS:
            seen_word = True
        elif seen_word and stripped.startswith("posted"):
            match = _posted().match(line)
            try:
                stamp = read_stamp(match["when"].strip()) if match else None
            except TimeParseError:
                stamp = None
            if stamp is not None and stamp.day is not None:
                return True
    return False


def read_status_log(lines: list[str], book: DraftBook) -> None:
    """One draft per update in `book`, at its posted time, its status as the kind."""
    block: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, start=1):
        match = _posted().match(raw)
        if match is None:
            if raw.strip():
                block.append((number, raw.strip()))
            continue
        try:
            stamp = read_stamp(match["when"].strip())
            if stamp is None or stamp.day is None:
                raise TimeParseError("a Posted line needs a date and a time")
            status, words, before = _update(block)
            if before:
                book.notes.add("left out: above the first update", *before)
            text = " ".join(words) or status.capitalize()
            kind = "resolution" if status == "resolved" else "status page"
            book.add(number, raw, stamp._replace(text=text), kind=kind, status=status)
        except TimeParseError as exc:
            book.bad.append(BadLine(number, raw, str(exc)))
        block = []
    if block:
        book.notes.add("left out: after the last update", *(n for n, _ in block))


def _update(block: list[tuple[int, str]]) -> tuple[str, list[str], list[int]]:
    """The status word, the text, and the lines above the status word (a page's title)."""
    for at, (_, line) in enumerate(block):
        if line.lower() in STATUS_WORDS:
            return line.lower(), [text for _, text in block[at + 1 :]], [n for n, _ in block[:at]]
    return "update", [text for _, text in block], []
