"""Is an action item SMART, and is the action list proportionate to the severity?

The rules (vague words, deliverables, what each severity asks for) live in `data/actions.toml`.
Every check only marks and explains; nothing here blocks a save.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple, Protocol

from debrief_tui.core.reference.data import load_data_toml


class ActionLike(Protocol):
    """What the checks read from an action (a model row or a plain record)."""

    @property
    def text(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def due_date(self) -> date | None: ...
    @property
    def type(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def proposal(self) -> bool: ...


class Gap(NamedTuple):
    """One thing the SMART check found: a short mark, and what to do about it."""

    code: str
    mark: str
    explain: str


GAP_MARKS = {
    "no_owner": "no owner",
    "several_owners": "2+ owners",
    "no_due_date": "no due date",
    "past_due": "past due",
    "vague": "vague",
}
"""The short mark of each SMART gap code, as the actions table and the documents show it."""


class _Rules(NamedTuple):
    vague: tuple[str, ...]
    deliverables: tuple[str, ...]
    want_types: dict[str, tuple[str, ...]]
    hint_over: dict[str, int]
    due_weeks: dict[str, dict[str, int]]


@cache
def _rules() -> _Rules:
    raw = load_data_toml("actions.toml")
    smart, by_severity = raw.get("smart", {}), raw.get("severity", {})
    return _Rules(
        vague=tuple(w.lower() for w in smart.get("vague", [])),
        deliverables=tuple(w.lower() for w in smart.get("deliverables", [])),
        want_types={k: tuple(v.get("want_types", [])) for k, v in by_severity.items()},
        hint_over={k: int(v["hint_over"]) for k, v in by_severity.items() if "hint_over" in v},
        due_weeks={k: dict(v.get("due_weeks", {})) for k, v in by_severity.items()},
    )


_OWNER_SPLIT = re.compile(r"\s*(?:,|;|&|\+|/|\band\b)\s*", re.IGNORECASE)


def owners_named(owner: str) -> list[str]:
    """The owners an owner field names: `Ana and Ben` or `sre, dba` name two."""
    return [part for part in _OWNER_SPLIT.split(owner.strip()) if part]


class _Person(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def team(self) -> str: ...


def owners_of(attendees: Iterable[_Person]) -> list[str]:
    """Who can own an action: the attendees and their teams, sorted."""
    people = list(attendees)
    return sorted({p.name for p in people} | {p.team for p in people if p.team})


def vague_word(text: str) -> str | None:
    """The vague word `text` leans on when it has no number and no concrete deliverable."""
    lowered = text.lower()
    if _DIGIT.search(lowered):
        return None
    rules = _rules()
    deliverable, any_vague = _word_lists(rules.deliverables, rules.vague)
    if deliverable.search(lowered) or not any_vague.search(lowered):
        return None
    # Which word, in the list's order (the first in the text may be a later one).
    vague = (w for w in rules.vague if re.search(_vague_pattern(w), lowered))
    return next(vague, None)


_DIGIT = re.compile(r"\d")


@cache
def _word_lists(
    deliverables: tuple[str, ...], vague: tuple[str, ...]
) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One pattern for any deliverable and one for any vague word: a follow-up list checks
    50,000 actions, and one search each is 30 times faster than a search per word."""
    never = r"(?!x)x"
    return (
        re.compile("|".join(_deliverable_pattern(d) for d in deliverables) or never),
        re.compile("|".join(_vague_pattern(w) for w in vague) or never),
    )


@cache
def _vague_pattern(word: str) -> str:
    # Whole words with their endings: "improvements" is vague, "moreover" is not "more".
    return r"\b" + re.escape(word) + r"(?:s|d|ed|ing|ment|ments)?\b"


@cache
def _deliverable_pattern(word: str) -> str:
    # A trailing space in the list ("pr ", "doc ") asks for the whole word; the others also
    # match their plural and past forms ("alerts", "automated") but not "-ing", which names
    # an activity: "investigate better alerting" has no deliverable.
    if word.endswith(" "):
        return r"\b" + re.escape(word.strip()) + r"\b"
    return r"\b" + re.escape(word) + r"(?:s|es|d|ed)?\b"


def smart_gaps(action: ActionLike, today: date, people: Iterable[str] = ()) -> list[Gap]:
    """What keeps `action` from being SMART; empty when nothing does. `people` are the
    session's attendees and teams (an action whose text names two of them as owners)."""
    gaps: list[Gap] = []
    owners = owners_named(action.owner)
    if not owners:
        gaps.append(Gap("no_owner", GAP_MARKS["no_owner"], "Name one person or team who owns it."))
    elif len(owners) > 1:
        gaps.append(
            Gap(
                "several_owners",
                GAP_MARKS["several_owners"],
                f"{' and '.join(owners)} share it: one owner, who may ask others for help.",
            )
        )
    else:
        named = _people_in(action.text, people)
        if len(named) > 1:
            gaps.append(
                Gap(
                    "several_owners",
                    GAP_MARKS["several_owners"],
                    f"The text names {' and '.join(named)}: keep one owner in the owner field.",
                )
            )
    if action.due_date is None:
        gaps.append(
            Gap(
                "no_due_date",
                GAP_MARKS["no_due_date"],
                "Agree a date: fri, +2w or end of month work.",
            )
        )
    elif action.due_date < today and action.status not in ("done", "won't do"):
        gaps.append(
            Gap(
                "past_due",
                GAP_MARKS["past_due"],
                f"It was due {action.due_date.isoformat()}: move or close.",
            )
        )
    word = vague_word(action.text)
    if word is not None:
        gaps.append(
            Gap(
                "vague",
                GAP_MARKS["vague"],
                f'"{word}" without a number or deliverable: name what will exist when it is '
                "done (an alert, a test, a runbook) or how much.",
            )
        )
    return gaps


def _people_in(text: str, people: Iterable[str]) -> list[str]:
    lowered = text.lower()
    return [person for person in people if person and _has_word(lowered, person.lower())]


def _has_word(text: str, word: str) -> bool:
    """Whether `word` stands in `text` as a whole word, as `\\bword\\b` matches it: found
    without a pattern, since a follow-up list checks 50,000 actions against thousands of
    attendees' names and compiling a pattern for each took longer than the whole read."""
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if _wordy(before) != _wordy(word[0]) and _wordy(word[-1]) != _wordy(after):
            return True
        start = text.find(word, start + 1)
    return False


def _wordy(char: str) -> bool:
    # What `\w` matches in a str pattern: letters, digits (of any script) and the underscore.
    return char.isalnum() or char == "_"


def proportion_hints(severity: str, actions: Sequence[ActionLike]) -> list[str]:
    """Gentle notes on the list as a whole: types the severity asks for and none covers, or
    many actions for a low severity. Proposals and won't-do items count for neither."""
    rules = _rules()
    committed = [a for a in actions if not a.proposal and a.status != "won't do"]
    hints = []
    have = {a.type for a in committed}
    for wanted in rules.want_types.get(severity, ()):
        if wanted not in have:
            hints.append(f"A {severity} usually wants at least one {wanted} action.")
    limit = rules.hint_over.get(severity)
    if limit is not None and len(committed) > limit:
        hints.append(
            f"{len(committed)} actions for a {severity}: is this proportionate? "
            "Mark some as proposals (p) for the owning team to weigh."
        )
    return hints


def default_due(severity: str, priority: str, meeting_day: date) -> date | None:
    """The due date a new action of this priority gets by default, or None."""
    weeks = _rules().due_weeks.get(severity, {}).get(priority)
    return meeting_day + timedelta(weeks=weeks) if weeks else None
