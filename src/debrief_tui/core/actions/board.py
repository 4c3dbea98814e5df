"""What the Follow-ups screen lists: the actions to follow up (`to_follow_up`'s order, overdue
first), narrowed as the room asks (overdue only, one status, words) and grouped by owner or
by incident, the groups with the most overdue first."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from debrief_tui.core.actions.follow_ups import FollowUp, follow_up_order

GROUPINGS: tuple[str, ...] = ("owner", "incident")
"""What the list can be grouped by, in the order a key steps through them."""


@dataclass(frozen=True)
class View:
    """How the list is narrowed and grouped."""

    by: str = "owner"
    closed: bool = False
    """The done and dropped actions too."""
    overdue: bool = False
    """Only the open actions past their due date."""
    status: str | None = None
    """Only the actions with this status."""
    words: str = ""
    """Only the actions whose owner (or the owner's team), incident, text or ticket hold
    every one of these words, in any case and with or without accents."""


@dataclass(frozen=True)
class Group:
    """The actions of one owner or one incident, overdue first."""

    key: str
    title: str
    """The owner as first written (empty: no owner), or the incident's title."""
    session_id: int | None
    """The incident's session, when grouped by incident."""
    items: tuple[FollowUp, ...]
    overdue: int
    """How many of its actions are overdue."""


def fold(text: str) -> str:
    """`text` for matching: case and accents dropped ("José" finds "jose")."""
    folded = text.casefold()
    if folded.isascii():  # most text: no accents to take off, and 20 times faster
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _owner_key(owner: str) -> str:
    return fold(" ".join(owner.split()))


def _searchable(item: FollowUp, keys: dict[str, str]) -> str:
    """What the words are looked for in: the owner and the owner's team (the attendee whose
    name is the owner's, as `owned_by` matches them), the incident, the text, the ticket."""
    action = item.action
    owner = keys.get(action.owner)
    if owner is None:
        owner = keys[action.owner] = _owner_key(action.owner)
    teams = [team for person, team in action.teams if fold(person.strip()) == owner]
    found = (action.owner, *teams, action.incident, action.text, action.ticket)
    return fold("\n".join((*found, f"#{action.session_id}")))


class Board:
    """The actions read for the screen, in `to_follow_up`'s order; each one's words folded
    when the list is first narrowed by words, once.

    Every view goes through all of them (50,000 at the scale the screen is built for), so
    each step is one pass that skips what the view does not ask for."""

    def __init__(self, items: Sequence[FollowUp]) -> None:
        self.items = list(items)
        self._open = [item for item in self.items if item.open]
        self._words: dict[int, str] | None = None
        self._owner_keys: dict[str, str] = {}

    def _searchable(self) -> dict[int, str]:
        if self._words is None:
            keys = self._owner_keys
            self._words = {i.action.action_id: _searchable(i, keys) for i in self.items}
        return self._words

    def replace(self, item: FollowUp) -> None:
        """Put `item` in place of the action with its id (changed here), where the order
        now puts it."""
        action_id = item.action.action_id
        kept = [i for i in self.items if i.action.action_id != action_id]
        order = follow_up_order(item)
        at = next((n for n, i in enumerate(kept) if follow_up_order(i) > order), len(kept))
        kept.insert(at, item)
        self.items = kept
        self._open = [i for i in kept if i.open]
        if self._words is not None:
            self._words[action_id] = _searchable(item, self._owner_keys)

    def find(self, action_id: int) -> FollowUp | None:
        """The action with this id, if it was read."""
        return next((i for i in self.items if i.action.action_id == action_id), None)

    def shown(self, view: View, pinned: frozenset[int] = frozenset()) -> list[FollowUp]:
        """The actions `view` keeps, in order; those `pinned` (by id: changed here, so that
        one marked done stays in sight until the view changes) are kept whatever it says."""
        every = view.closed or view.status is not None
        kept = self.items if every or pinned else self._open
        if not every and pinned:
            kept = [i for i in kept if i.open or i.action.action_id in pinned]
        if view.status is not None:
            status = view.status
            kept = [i for i in kept if i.action.status == status or i.action.action_id in pinned]
        if view.overdue:
            kept = [i for i in kept if i.days_overdue or i.action.action_id in pinned]
        words = fold(view.words).split()
        if words:
            found = self._searchable()
            kept = [
                i
                for i in kept
                if i.action.action_id in pinned
                or all(w in found[i.action.action_id] for w in words)
            ]
        return kept

    def groups(self, view: View, pinned: frozenset[int] = frozenset()) -> list[Group]:
        """The actions `view` keeps, grouped as it says: the groups with the most overdue
        first (then the one whose first action comes first), each in order."""
        by_key: dict[str | int, list[FollowUp]] = {}
        firsts: dict[str | int, FollowUp] = {}
        keys = self._owner_keys
        incident = view.by == "incident"
        for item in self.shown(view, pinned):
            action = item.action
            key: str | int
            if incident:
                key = action.session_id
            else:
                key = keys.get(action.owner) or keys.setdefault(
                    action.owner, _owner_key(action.owner)
                )
            group = by_key.get(key)
            if group is None:
                by_key[key] = group = []
                firsts[key] = item
            group.append(item)
        groups = []
        for key, items in by_key.items():
            first = firsts[key].action
            late = sum(1 for item in items if item.days_overdue)
            if incident:
                title, session_id = first.incident, first.session_id
            else:
                title, session_id = " ".join(first.owner.split()), None
            groups.append(Group(str(key), title, session_id, tuple(items), late))
        # Stable: among groups as overdue, the one whose first action comes first stays first.
        groups.sort(key=lambda group: -group.overdue)
        return groups
