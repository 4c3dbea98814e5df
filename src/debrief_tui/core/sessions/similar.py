"""Have we seen this before? Past sessions ranked by what they share with this one.

Three signals, each one a reader can check: the services affected (the same name in both
lists), the contributing-factor categories, and root-cause text that uses the same words (the
words left once common English words are removed; a trailing plural `s` ignored). A title
that shares words counts for a little, so that a session just created, with no root cause yet,
still finds its kin. Every match says why it was listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from debrief_tui.core.text import shorten

SERVICE_WEIGHT = 3.0
"""A shared service is the strongest sign: the same component failed again."""
CATEGORY_WEIGHT = 1.0
"""Categories are few, so many sessions share one: a shared category only adds a little."""
ROOT_CAUSE_WEIGHT = 4.0
"""Times the root-cause likeness (0 to 1): near-identical wording weighs more than a service."""
TITLE_WEIGHT = 1.5
"""Times the title likeness: a hint, not a finding."""
CATEGORIES_ALONE = 2
"""Shared categories that list a session sharing nothing else: most sessions share one."""
LIKE_AT_LEAST = 0.4
"""Texts this alike (shared words over the shorter text's words) with two words or more in
common count as similar; one shared word (`database`) says too little."""
NAMES_LISTED = 3
"""Shared services or categories an explanation names before counting the rest."""
QUOTE_WIDTH = 40
"""How much of a past root cause or title an explanation quotes."""

_STOP_TEXT = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our out over own
    same she should so some such than that the their them then there these they this those
    through to too under until up very was we were what when where which while who whom why
    will with would you your yet via per get got went didn t s wasn weren isn aren"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[^\W_]+")
_SERVICE_SPLIT = re.compile(r"[,;/\n|]+")


@dataclass(frozen=True)
class PastAction:
    """One action of a past session, as the list shows it."""

    text: str
    owner: str
    status: str

    @property
    def done(self) -> bool:
        """Whether it was done."""
        return self.status == "done"


@dataclass(frozen=True)
class SessionFacts:
    """What similarity looks at in one session (read for every session at once)."""

    session_id: int
    title: str
    severity: str = ""
    status: str = ""
    started_at: datetime | None = None
    zone: str = "UTC"
    services: str = ""
    """The `Services affected` fact as typed: names separated by commas (or ; / |)."""
    categories: tuple[str, ...] = ()
    root_causes: tuple[str, ...] = ()
    """The text of the why-nodes marked as a root cause."""


@dataclass(frozen=True)
class Match:
    """A past session like this one, what they share, and (filled in later) its actions."""

    past: SessionFacts
    score: float
    services: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    root_cause: str = ""
    """The past session's root cause most like one of this session's (empty: none)."""
    title: bool = False
    """Whether the titles share words."""
    actions: tuple[PastAction, ...] = field(default=())

    @property
    def done_count(self) -> tuple[int, int]:
        """(actions done, actions in all)."""
        return sum(a.done for a in self.actions), len(self.actions)

    def why(self) -> str:
        """Why it was listed: `shares service api · factor category Monitoring · root cause
        'cache expiry…'`."""
        parts = []
        if self.services:
            noun = "service" if len(self.services) == 1 else "services"
            parts.append(f"shares {noun} {_some(self.services)}")
        if self.categories:
            noun = "factor category" if len(self.categories) == 1 else "factor categories"
            parts.append(f"{noun} {_some(self.categories)}")
        if self.root_cause:
            parts.append(f"root cause {shorten(self.root_cause, QUOTE_WIDTH)!r}")
        if self.title:
            parts.append(f"title {shorten(self.past.title, QUOTE_WIDTH)!r}")
        return " · ".join(parts)

    def progress(self) -> str:
        """`3/4 done`, or `no actions`."""
        done, total = self.done_count
        return f"{done}/{total} done" if total else "no actions"


def _some(names: tuple[str, ...]) -> str:
    """The first names of a list and how many more: `api, cache, web +2`."""
    shown = ", ".join(names[:NAMES_LISTED])
    return shown if len(names) <= NAMES_LISTED else f"{shown} +{len(names) - NAMES_LISTED}"


def service_names(text: str) -> dict[str, str]:
    """The services named in a `Services affected` fact: each one's key (lower case, spaces
    squeezed) and its spelling as typed first."""
    names: dict[str, str] = {}
    for part in _SERVICE_SPLIT.split(text):
        shown = " ".join(part.split())
        if shown:
            names.setdefault(shown.casefold(), shown)
    return names


def words(text: str) -> frozenset[str]:
    """The telling words of a text: lower case, common English words and one-letter words
    left out, a plural `s` taken off (`caches` is `cache`)."""
    return frozenset(
        _stem(word)
        for word in _WORD.findall(text.casefold())
        if len(word) > 1 and word not in _STOP_WORDS
    )


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] == "s" and word[-2] != "s" else word


def likeness(one: frozenset[str], other: frozenset[str]) -> float:
    """How alike two texts' words are, 0 to 1: the shared words over the shorter text's, and
    0 below two shared words."""
    shared = len(one & other)
    if shared < 2:
        return 0.0
    return shared / min(len(one), len(other))


class _Prepared:
    """A session's facts with their words worked out once."""

    __slots__ = ("categories", "causes", "facts", "services", "title")

    def __init__(self, facts: SessionFacts) -> None:
        self.facts = facts
        self.services = service_names(facts.services)
        self.categories = {c.casefold(): c for c in facts.categories}
        self.causes = [(text, words(text)) for text in facts.root_causes]
        self.title = words(facts.title)


class _Past:
    """A past session, its text read only as far as a match is possible.

    Most of 10,000 past sessions share nothing with this one. A word of this session (or its
    stem, a prefix of the word) that is not even a substring of a past text cannot be among
    that text's words, so a text holding fewer than two of them is never split into words,
    and a services list holding none of this session's names is never parsed.
    """

    __slots__ = ("categories", "causes", "facts", "services", "title")

    def __init__(self, facts: SessionFacts, mine: _Prepared, vocabulary: frozenset[str]) -> None:
        self.facts = facts
        folded = facts.services.casefold()
        maybe = any(name in folded for name in mine.services)
        self.services = service_names(facts.services) if maybe else {}
        self.categories = {c.casefold(): c for c in facts.categories}
        self.causes = [(text, words(text)) for text in facts.root_causes if _may(text, vocabulary)]
        self.title = words(facts.title) if _may(facts.title, mine.title) else frozenset()


def _may(text: str, vocabulary: frozenset[str]) -> bool:
    """Whether `text` may share two words with `vocabulary` (two of them are substrings)."""
    folded = text.casefold()
    found = 0
    for word in vocabulary:
        if word in folded:
            found += 1
            if found == 2:
                return True
    return False


def similar_sessions(
    this: SessionFacts, others: Iterable[SessionFacts], limit: int = 5
) -> list[Match]:
    """The past sessions most like `this`, best first (ties: the most recent first), at most
    `limit`; a session sharing nothing (or a single factor category only) is never listed, and
    `this` itself is skipped."""
    mine = _Prepared(this)
    vocabulary = frozenset().union(*(words for _, words in mine.causes))
    found: list[Match] = []
    for facts in others:
        if facts.session_id == this.session_id:
            continue
        match = _compare(mine, _Past(facts, mine, vocabulary))
        if match is not None:
            found.append(match)
    found.sort(key=_rank)
    return found[:limit]


def _rank(match: Match) -> tuple[float, float, int]:
    started = match.past.started_at
    return (-match.score, -(started.timestamp() if started else 0.0), -match.past.session_id)


def _compare(mine: _Prepared, past: _Past) -> Match | None:
    services = tuple(past.services[k] for k in past.services if k in mine.services)
    categories = tuple(past.categories[k] for k in past.categories if k in mine.categories)
    best, cause = 0.0, ""
    for _, my_words in mine.causes:
        for text, their_words in past.causes:
            alike = likeness(my_words, their_words)
            if alike >= LIKE_AT_LEAST and alike > best:
                best, cause = alike, text
    title_alike = likeness(mine.title, past.title)
    title = title_alike >= LIKE_AT_LEAST
    score = (
        SERVICE_WEIGHT * len(services)
        + CATEGORY_WEIGHT * len(categories)
        + ROOT_CAUSE_WEIGHT * best
        + (TITLE_WEIGHT * title_alike if title else 0.0)
    )
    if not (services or cause or title) and len(categories) < CATEGORIES_ALONE:
        return None
    return Match(past.facts, score, services, categories, cause, title)
