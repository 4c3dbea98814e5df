"""The blameless wording check, used while typing minutes and again by exports.

Phrases come from `data/phrases.toml`: counterfactuals ("should have"), blame ("human error",
"careless") and an attendee named as the subject of "forgot", "broke" or "missed". The check
only reports; it never blocks or changes text.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple

from debrief_tui.paths import data_path


class WordingHit(NamedTuple):
    """One phrase found in a text, with where it is and a better way to say it."""

    start: int
    end: int
    phrase: str
    suggestion: str


class _Rules(NamedTuple):
    phrases: tuple[tuple[re.Pattern[str], str, str], ...]
    person_verbs: tuple[str, ...]
    person_suggestion: str


@cache
def _rules() -> _Rules:
    with data_path("phrases.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    phrases = tuple(
        (re.compile(rf"\b{re.escape(p['match'])}\b", re.I), p["match"], p["suggest"])
        for p in raw.get("phrase", [])
    )
    people = raw.get("person_verbs", {})
    return _Rules(phrases, tuple(people.get("verbs", ())), people.get("suggest", ""))


def check_wording(text: str, attendees: Iterable[str] = ()) -> list[WordingHit]:
    """Every blameless-wording hit in `text`, in order of position."""
    if not text.strip():
        return []  # an empty box (as on every stage's first frame) needs no phrase list
    return list(_hits(text, tuple(attendees)))


@lru_cache(maxsize=64)
def _hits(text: str, attendees: tuple[str, ...]) -> tuple[WordingHit, ...]:
    # Cached: while a minute is typed, the box's highlighter and the hint line both ask
    # about the same text on every keystroke.
    rules = _rules()
    hits = [
        WordingHit(m.start(), m.end(), phrase, suggestion)
        for pattern, phrase, suggestion in rules.phrases
        for m in pattern.finditer(text)
    ]
    people = _person_pattern(attendees)
    if people is not None:
        hits.extend(
            WordingHit(m.start(), m.end(), m.group(), rules.person_suggestion)
            for m in people.finditer(text)
        )
    return tuple(sorted(hits, key=lambda h: h.start))


@lru_cache(maxsize=8)
def _person_pattern(attendees: tuple[str, ...]) -> re.Pattern[str] | None:
    """`<name> forgot|broke|missed` for these attendees, built once per list of people."""
    rules = _rules()
    names = {n for person in attendees for n in _name_forms(person)}
    if not names or not rules.person_verbs:
        return None
    who = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    verbs = "|".join(re.escape(v) for v in rules.person_verbs)
    return re.compile(rf"\b(?:{who})\s+(?:{verbs})\b", re.I)


def _name_forms(person: str) -> set[str]:
    parts = person.split()
    return {person.strip(), parts[0]} if parts else set()
