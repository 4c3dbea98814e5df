"""The external version of an export: every part of each attendee's name replaced by their
role, e-mail addresses, minutes and internal-only items left out (and the authors of timeline
events who are not attendees), and a check for what still looks internal.

Names are found in folded text (NFKD, combining marks dropped, casefolded, and the few
letters NFKD leaves whole, such as ø and đ, spelled plainly), so "Jose Alvarez" finds José
Álvarez and "RAMAN's" finds Priya Raman; what is replaced is the span of the original text.
A part that is also a common word (`data/public.toml`) or shorter than three letters is
replaced only next to another part of the same name ("Will Smith", "Ó Briain"): alone it is
left in, and the check names its place when it is written with a capital.
"""

from __future__ import annotations

import copy
import fnmatch
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from debrief_tui.core.reference.data import load_data_toml
from debrief_tui.core.text import shorten

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
EMAIL_MARK = "[e-mail address]"
"""What an e-mail address becomes in the public version."""
SOMEONE = "an attendee"
"""The label for a part shared by attendees with different roles."""
_WORD = re.compile(r"[\w.*-]+")
_TOKEN = re.compile(r"[^\W\d_]+")  # letters: `_` and digits separate (priya_raman, raman2)
_JOINER = re.compile("[\\s_'\u2019\u2010-]*")  # between two parts of one name as written
_AFTER_INITIAL = re.compile("\\.[\\s_'\u2019\u2010-]*")  # "J. Smith"
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")
# Scripts written without spaces between words: a name part is found inside longer words.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff]+"
)
# Letters NFKD does not take apart, spelled as people type them without the accent.
_PLAIN = str.maketrans(
    {"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ħ": "h", "ŧ": "t", "\u0131": "i", "ŋ": "n"}
    | {"æ": "ae", "œ": "oe", "þ": "th"}
)
# The fields people write in, by part of the export: names are replaced in these. Every other
# string (kinds, categories, statuses, codes) is only checked.
_FREE_TEXT = {
    "session": ("title", "summary"),
    "facts": ("services_affected",),
    "timeline": ("text",),
    "whys": ("text", "no_action_note"),
    "factors": ("text", "no_action_note"),
    "lessons": ("text",),
    "actions": ("text", "owner", "ticket"),
    "parking_lot": ("text", "owner"),
    "minutes": ("text", "author"),
}


@cache
def internal_host_patterns() -> tuple[str, ...]:
    """Shell-style patterns of internal host names, from `data/public.toml`."""
    return tuple(load_data_toml("public.toml").get("internal_hosts", []))


@cache
def common_words() -> frozenset[str]:
    """Name parts that are also ordinary words, folded, from `data/public.toml`."""
    return frozenset(fold(w) for w in load_data_toml("public.toml").get("common_words", []))


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if "\uac00" <= char <= "\ud7a3":
        return char  # a Hangul syllable: NFKD would spell it in letters that match across two
    kept = (c for c in unicodedata.normalize("NFKD", char) if unicodedata.category(c)[0] != "M")
    return "".join(kept).casefold().translate(_PLAIN)


def fold(text: str) -> str:
    """`text` as names are compared: without accents, case or the marks of other scripts."""
    return "".join(_fold_char(c) for c in text)


def _fold_map(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the one it came from."""
    if text.isascii():  # most text: one character for one
        return text.lower(), list(range(len(text)))
    pieces, origin = [], []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        pieces.append(piece)
        origin.extend([index] * len(piece))
    return "".join(pieces), origin


_Span = tuple[int, int]  # the first and last part of a name a word spells


@dataclass
class _Part:
    """One name part as written in a text: where (in the folded text), and whose."""

    start: int
    end: int
    sure: bool  # it can only be a name
    capital: bool  # written with a capital (or in a script without case)


@dataclass
class _Hit:
    """Name parts written together: where (in the folded text), and whose."""

    parts: list[_Part]
    at: dict[int, set[_Span]]  # attendee → where in their name the last part stands
    replace: bool = field(default=False)

    @property
    def start(self) -> int:
        return self.parts[0].start

    @property
    def end(self) -> int:
        return self.parts[-1].end


class Names:
    """The attendees' names, to find and replace in any text."""

    def __init__(self, attendees: list[dict[str, Any]]) -> None:
        self.names = [a["name"] for a in attendees]
        self.labels = _labels(attendees)
        self.parts: dict[str, dict[int, set[_Span]]] = {}  # folded part → attendee → where
        self.unspaced: set[str] = set()
        for who, name in enumerate(self.names):
            tokens = _TOKEN.findall(fold(name))
            # Each part, and parts typed together ("OBrien", "vanan", "priyaraman").
            for first in range(len(tokens)):
                for last in range(first, min(len(tokens), first + 4)):
                    part = "".join(tokens[first : last + 1])
                    self.parts.setdefault(part, {}).setdefault(who, set()).add((first, last))
                    if _UNSPACED.fullmatch(part):
                        self.unspaced.add(part)
        self.full = {" ".join(_TOKEN.findall(fold(n))): who for who, n in enumerate(self.names)}

    def unsure(self, part: str) -> bool:
        """Whether a part may be an ordinary word rather than this name."""
        if _UNSPACED.fullmatch(part):
            return len(part) < 2
        return len(part) < 3 or part in common_words()

    def label(self, people: set[int] | dict[int, set[_Span]]) -> str:
        """The role that stands for these attendees (one label for several with one role)."""
        labels = {self.labels[who] for who in people}
        return labels.pop() if len(labels) == 1 else SOMEONE

    def hits(self, text: str) -> tuple[list[int], list[_Hit]]:
        """The name parts in `text`, those written together joined, in the folded text."""
        folded, origin = _fold_map(text)
        found: list[_Hit] = []
        for match in _TOKEN.finditer(folded):
            if match.group() in self.parts:
                found.append(self._hit(text, folded, origin, match.span()))
        taken = [(h.start, h.end) for h in found]
        for part in sorted(self.unspaced, key=len, reverse=True):
            for match in re.finditer(re.escape(part), folded):
                if not any(s < match.end() and match.start() < e for s, e in taken):
                    found.append(self._hit(text, folded, origin, match.span()))
                    taken.append(match.span())
        found.sort(key=lambda h: h.start)
        return origin, [self._decide(h) for h in self._join(folded, found)]

    def _hit(self, text: str, folded: str, origin: list[int], span: tuple[int, int]) -> _Hit:
        start, end = span
        written = folded[start:end]
        whose = self.parts[written]
        part = _Part(start, end, not self.unsure(written), not text[origin[start]].islower())
        return _Hit([part], {who: set(at) for who, at in whose.items()})

    def _join(self, folded: str, hits: list[_Hit]) -> list[_Hit]:
        """Parts written one after the other in the order of one attendee's name become one
        hit ("Will Smith"); so do sure parts of one attendee in another order."""
        out: list[_Hit] = []
        for hit in hits:
            last = out[-1] if out else None
            if last is not None and last.end <= hit.start:
                gap = folded[last.end : hit.start]
                initial = last.end - last.parts[-1].start == 1 and _AFTER_INITIAL.fullmatch(gap)
                if _JOINER.fullmatch(gap) or initial:
                    follows = {
                        who: {p for p in hit.at[who] if p[0] - 1 in {q[1] for q in last.at[who]}}
                        for who in hit.at.keys() & last.at.keys()
                    }
                    follows = {who: at for who, at in follows.items() if at}
                    both_sure = last.parts[-1].sure and hit.parts[0].sure
                    if follows or (both_sure and self.label(last.at) == self.label(hit.at)):
                        last.parts.extend(hit.parts)
                        last.at = follows or hit.at
                        continue
            out.append(hit)
        return out

    def _decide(self, hit: _Hit) -> _Hit:
        """Whether to replace: a sure part, or parts together that are sure or all capitals.
        Where the writer capitalises names, a lower-case doubtful part at either end is not
        counted ("will" in "will Smith"; but all of "nguyen van an")."""
        parts = hit.parts
        if any(p.capital for p in parts):
            while len(parts) > 1 and not parts[0].sure and not parts[0].capital:
                parts = parts[1:]
            while len(parts) > 1 and not parts[-1].sure and not parts[-1].capital:
                parts = parts[:-1]
        hit.parts = parts
        hit.replace = any(p.sure for p in parts) or (
            len(parts) > 1 and all(p.capital for p in parts)
        )
        return hit

    def replace(self, text: str) -> str:
        """`text` with each name it surely holds replaced by the attendee's role."""
        origin, hits = self.hits(text)
        out, done = [], 0
        for hit in hits:
            if not hit.replace:
                continue
            start, end = origin[hit.start], origin[hit.end - 1] + 1
            while end < len(text) and not _fold_char(text[end]):
                end += 1  # the marks of a letter typed as two characters
            label = self.label(hit.at)
            if _SENTENCE_START.search(text[:start]):
                label = label[:1].upper() + label[1:]
            out += [text[done:start], label]
            done = end
        return "".join([*out, text[done:]]) if out else text

    def author(self, author: str) -> str | None:
        """A timeline event's author: the role of the attendee it names, or None for someone
        who is not an attendee (a name the external version has no role for)."""
        who = self.full.get(" ".join(_TOKEN.findall(fold(author))))
        return None if who is None else self.labels[who]

    def owner(self, owner: str) -> str:
        """An action's owner: the role of the attendee it names (the whole name or any one
        part of it), or the text with names replaced."""
        key = " ".join(_TOKEN.findall(fold(owner)))
        if key in self.full:
            return self.labels[self.full[key]]
        if key in self.parts:
            return self.label(self.parts[key])
        return self.replace(owner)


def _labels(attendees: list[dict[str, Any]]) -> list[str]:
    """Each attendee's role label ("the responder"), numbered when several share it."""
    counts: dict[str, int] = {}
    for person in attendees:
        counts[person["role"]] = counts.get(person["role"], 0) + 1
    seen: dict[str, int] = {}
    labels = []
    for person in attendees:
        role = person["role"]
        seen[role] = seen.get(role, 0) + 1
        labels.append(f"the {role}" + (f" {seen[role]}" if counts[role] > 1 else ""))
    return labels


def _texts(document: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in the document with where it is (`actions[2].text`)."""
    if isinstance(document, str):
        yield path, document
    elif isinstance(document, dict):
        for key, value in document.items():
            yield from _texts(value, f"{path}.{key}" if path else key)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _texts(value, f"{path}[{index}]")


def _each_free_text(document: dict[str, Any], change: Callable[[str, str], str]) -> None:
    """Replace each field people write in by `change(key, text)`, in place."""
    for part, keys in _FREE_TEXT.items():
        value = document.get(part)
        items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for item in items:
            for key in keys:
                if isinstance(item.get(key), str):
                    item[key] = change(key, item[key])


def make_public(export: dict[str, Any]) -> dict[str, Any]:
    """The external version: names become roles and e-mail addresses a mark; minutes, the
    parking lot, tickets, links (internal dashboards, recordings, the channel) and the notes
    on accepted causes (internal discussion) are left out."""
    names = Names(export["attendees"])
    public = copy.deepcopy(export)
    public["minutes"] = []
    public["parking_lot"] = []
    public["stage_time"] = []
    public["links"] = []
    for action in public["actions"]:
        action["ticket"] = ""
    for item in (*public["whys"], *public["factors"]):
        item["no_action_note"] = None
    for event in public["timeline"]:
        event.pop("links", None)
        if isinstance(event.get("author"), str):
            role = names.author(event["author"])
            if role is None:
                del event["author"]  # not an attendee: no role to stand for them
            else:
                event["author"] = role

    def change(key: str, text: str) -> str:
        text = _EMAIL.sub(EMAIL_MARK, text)
        return names.owner(text) if key == "owner" else names.replace(text)

    _each_free_text(public, change)
    public["attendees"] = [
        {"name": label, "team": names.replace(_EMAIL.sub(EMAIL_MARK, a["team"])), "role": a["role"]}
        for label, a in zip(names.labels, export["attendees"], strict=True)
    ]
    return {**public, "public": True}


def leaks(public: dict[str, Any], attendees: list[dict[str, Any]]) -> list[str]:
    """Warnings for text in the public version that still looks internal, each with where it
    is: a part of an attendee's name (or a word that may be one), an e-mail address (never
    repeated here), an owner who is not an attendee, or a host name matching
    `data/public.toml`."""
    names = Names(attendees)
    labels = sorted({*names.labels, SOMEONE, EMAIL_MARK}, key=len, reverse=True)
    ours = re.compile("|".join(re.escape(label) for label in labels), re.IGNORECASE)
    teams = {" ".join(_TOKEN.findall(fold(a["team"]))) for a in attendees} - {""}
    patterns = internal_host_patterns()
    found: list[str] = []
    shown = {k: v for k, v in public.items() if k != "attendees"}
    shown["attendees"] = [{"team": a.get("team", "")} for a in public.get("attendees", [])]
    for where, text in _texts(shown):
        if EMAIL_MARK.casefold() in text.casefold():
            found.append(f"{where}: an e-mail address was left out")
        if _EMAIL.search(text):
            found.append(f"{where}: holds an e-mail address")
        bare = ours.sub(lambda m: " " * len(m.group()), text)
        found += _name_warnings(names, where, bare)
        if re.fullmatch(r"actions\[\d+\]\.owner", where) and _stranger(bare, teams):
            shown_owner = shorten(text, 60)  # controls written out: this goes to a terminal
            found.append(f'{where}: "{shown_owner}" is not an attendee or an attendee\'s team')
        for word in _WORD.findall(text):
            word = word.strip(".")
            if any(fnmatch.fnmatch(word.lower(), p) for p in patterns):
                found.append(f"{where}: internal host {word}")
    return found


def _name_warnings(names: Names, where: str, text: str) -> list[str]:
    origin, hits = names.hits(text)
    out = []
    for hit in hits:
        if not hit.replace and not any(p.capital for p in hit.parts):
            continue
        written = text[origin[hit.start] : origin[hit.end - 1] + 1]
        whose = [names.names[who] for who in sorted(hit.at)]
        people = f"attendee{'s' if len(whose) > 1 else ''} {', '.join(whose)}"
        verb = "is" if hit.replace else "may be"
        out.append(f'{where}: "{written}" {verb} a name ({people})')
    return out


def _stranger(owner: str, teams: set[str]) -> bool:
    """Whether an owner (roles already masked) names someone other than the attendees and
    their teams."""
    words = " ".join(_TOKEN.findall(fold(owner)))
    for team in sorted(teams, key=len, reverse=True):
        words = re.sub(rf"(?<![^\W_]){re.escape(team)}(?![^\W_])", " ", words)
    return bool(set(_TOKEN.findall(words)) - {"and", "or"})
