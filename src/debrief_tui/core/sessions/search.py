"""Searching every session's text: what the user typed made into a safe query, the filter
words (`sev:SEV1 status:draft service:api since:2025-01-01 until:2025-06-30`), the names of the
places a text can be found, and the short piece of text around a match.

No SQL here: the search repository turns a `SearchQuery` into its backend's match expression
with `fts5_match` (SQLite) or `tsquery_text` (PostgreSQL). Both keep only the words of what
was typed (letters and digits; everything else separates words, as both indexes do), each
quoted, so no character typed can be read as query syntax (`"`, `*`, `-`, `NEAR(`, `AND`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from debrief_tui.core.errors import InputError

PLACES: dict[int, str] = {
    1: "title",
    2: "summary",
    3: "problem statement",
    4: "services",
    5: "minute",
    6: "timeline event",
    7: "5 Whys",
    8: "contributing factor",
    9: "lesson",
    10: "action",
    11: "parking lot",
}
"""Where a text was found, by the kind number the index keeps (migration 5 fixes them)."""
TITLE = 1
"""The kind of a session's title: a session found by its title needs no word on where."""

MAX_TERMS = 16
"""Words of a query kept: more only slows the search and never narrows it usefully."""
MAX_TERM_LENGTH = 64
"""Letters of a word kept (no indexed word is longer that anyone would type)."""
MIN_PREFIX = 2
"""The shortest last word matched as the start of a word: one letter would match most of the
index and takes far longer than the key repeat (prefixes of 2 and 3 letters are indexed)."""

# A word, as both indexes cut text into words: letters and digits (any script); an underscore,
# punctuation, symbols and emoji separate words.
_WORD = re.compile(r"[^\W_]+")
# A filter word: a known key, a colon, and a value (quoted when it holds spaces).
_FILTER = re.compile(
    r'(?<!\S)(sev|severity|status|service|since|until):(?:"([^"]*)"?|(\S*))', re.IGNORECASE
)
_KEYS = {"sev": "severity", "severity": "severity"}


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search besides its words; None is no narrowing."""

    severity: str | None = None
    status: str | None = None
    service: str | None = None
    since: date | None = None
    until: date | None = None
    """The last day included."""

    @property
    def empty(self) -> bool:
        """Whether nothing is narrowed."""
        return self == SearchFilters()


@dataclass(frozen=True)
class SearchQuery:
    """A search: its words (lower case, in the order typed) and its filters."""

    terms: tuple[str, ...] = ()
    prefix: bool = False
    """Whether the last word matches the start of a word (the word being typed)."""
    filters: SearchFilters = field(default_factory=SearchFilters)

    @property
    def has_text(self) -> bool:
        """Whether there are words to look for (else only the filters apply)."""
        return bool(self.terms)

    @property
    def empty(self) -> bool:
        """Whether the search asks for nothing: every session matches."""
        return not self.terms and self.filters.empty


@dataclass(frozen=True)
class SearchHit:
    """One text that matched: which session, where in it, and the words around the match."""

    session_id: int
    title: str
    severity: str
    status: str
    kind: int
    snippet: str
    """The text around the first match, on one line, cut with "…" at either end."""
    at: datetime | None = None
    """When it was said or happened, for a minute, a timeline event or a parked topic."""
    zone: str = "UTC"
    """The session's zone, in which `at` is shown."""
    row_id: int | None = None
    """The id of the minute, event, ... that matched (None for the session's own texts)."""

    @property
    def where(self) -> str:
        """Where in the session it was found, as a user names it ("minute", "5 Whys")."""
        return PLACES.get(self.kind, "session")


def fold(text: str) -> str:
    """`text` in lower case without accents, for comparing words as the indexes do."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of `text` as the indexes cut it, in lower case (accents kept: each index
    folds them itself)."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def parse_day(key: str, value: str) -> date:
    """A filter's date, typed as YYYY-MM-DD; InputError naming the filter when it is not one."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{key}:{value} is not a date; write it as YYYY-MM-DD", key) from None


def parse_search(
    text: str, *, prefix: bool = True, filters: SearchFilters | None = None
) -> SearchQuery:
    """The search a user typed: filter words taken out (InputError, one line, for a malformed
    one), the rest cut into words, the last one matched as a prefix when `prefix` (as you
    type). `filters` are given by other means (the command's options); the box's words win."""
    found: dict[str, object] = {}
    for match in _FILTER.finditer(text):
        key = _KEYS.get(match.group(1).lower(), match.group(1).lower())
        value = " ".join((match.group(2) if match.group(2) is not None else match.group(3)).split())
        if not value:
            raise InputError(f"{match.group(1)}: needs a value, as in {_EXAMPLES[key]}", key)
        found[key] = parse_day(match.group(1), value) if key in ("since", "until") else value
    rest = _FILTER.sub(" ", text)
    terms = [term[:MAX_TERM_LENGTH] for term in words(rest)][:MAX_TERMS]
    chosen = replace(filters or SearchFilters(), **found)  # type: ignore[arg-type]
    if chosen.since and chosen.until and chosen.since > chosen.until:
        raise InputError(f"since:{chosen.since} is after until:{chosen.until}", "since")
    typing_last = bool(terms) and len(terms[-1]) >= MIN_PREFIX and not text[-1:].isspace()
    return SearchQuery(tuple(terms), prefix and typing_last, chosen)


_EXAMPLES = {
    "severity": "sev:SEV1",
    "status": "status:draft",
    "service": "service:api",
    "since": "since:2025-01-01",
    "until": "until:2025-06-30",
}


def fts5_match(query: SearchQuery) -> str:
    """SQLite FTS5's match expression: every word (each a quoted string, so nothing typed is
    syntax), the last one as a prefix when the query says so."""
    quoted = [f'"{term}"' for term in query.terms]
    if query.prefix and quoted:
        quoted[-1] += "*"
    return " ".join(quoted)


def tsquery_text(query: SearchQuery) -> str:
    """PostgreSQL's `to_tsquery` text: every word quoted and joined with `&`, the last one as
    a prefix (`:*`) when the query says so. (The repository folds accents in SQL, the same way
    the index does.)"""
    quoted = [f"'{term}'" for term in query.terms]
    if query.prefix and quoted:
        quoted[-1] += ":*"
    return " & ".join(quoted)


def snippet(text: str, query: SearchQuery, width: int = 60) -> str:
    """About `width` characters of `text` around the first word that matches the query, on one
    line, with "…" where it was cut; the start of `text` when no word matches (the index and
    this can differ on a rare letter)."""
    flat = " ".join(text.split())
    wanted = [fold(term) for term in query.terms]
    start = 0
    for match in _WORD.finditer(flat):
        word = fold(match.group())
        if any(
            word == term or (query.prefix and i == len(wanted) - 1 and word.startswith(term))
            for i, term in enumerate(wanted)
        ):
            start = match.start()
            break
    if len(flat) <= width:
        return flat
    # Start a third of the width before the match, and cut at spaces where there is one near.
    begin = max(0, min(start - width // 3, len(flat) - width))
    if begin:
        space = flat.find(" ", begin, start)
        begin = space + 1 if space != -1 else begin
    end = min(len(flat), begin + width)
    if end < len(flat):
        space = flat.rfind(" ", start + 1, end)
        end = space if space != -1 else end
    piece = flat[begin:end].strip()
    return ("…" if begin else "") + piece + ("…" if end < len(flat) else "")


def by_session(hits: list[SearchHit]) -> list[list[SearchHit]]:
    """Hits gathered by session, the session of the best hit first, each session's hits in
    the order they came (best first)."""
    groups: dict[int, list[SearchHit]] = {}
    for hit in hits:
        groups.setdefault(hit.session_id, []).append(hit)
    return list(groups.values())
