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

    @property
    def overdue(self) -> int:
        """How many of its actions are overdue."""
        return sum(1 for item in self.items if item.days_overdue)


def fold(text: str) -> str:
    """`text` for matching: case and accents dropped ("José" finds "jose")."""
    folded = text.casefold()
    if folded.isascii():  # most text: no accents to take off, and 20 times faster
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _team_of_owner(item: FollowUp) -> str:
    # As `owned_by` matches them: the attendee whose name is the owner's, in any case.
    owner = fold(item.action.owner.strip())
    return " ".join(team for person, team in item.action.teams if fold(person.strip()) == owner)


def _searchable(item: FollowUp) -> str:
    action = item.action
    found = (action.owner, _team_of_owner(item), action.incident, action.text, action.ticket)
    return "\n".join((*found, f"#{action.session_id}"))


class Board:
    """The actions read for the screen, in `to_follow_up`'s order; each one's words folded
    when the list is first narrowed by words, once."""

    def __init__(self, items: Sequence[FollowUp]) -> None:
        self.items = list(items)
        self._words: list[str] | None = None

    def _searchable(self) -> list[str]:
        if self._words is None:
            self._words = [fold(_searchable(item)) for item in self.items]
        return self._words

    def replace(self, item: FollowUp) -> None:
        """Put `item` in place of the action with its id (changed here), where the order
        now puts it."""
        action_id = item.action.action_id
        self.items = [i for i in self.items if i.action.action_id != action_id]
        self.items.append(item)
        self.items.sort(key=follow_up_order)
        self._words = None

    def find(self, action_id: int) -> FollowUp | None:
        """The action with this id, if it was read."""
        return next((i for i in self.items if i.action.action_id == action_id), None)

    def shown(self, view: View, pinned: frozenset[int] = frozenset()) -> list[FollowUp]:
        """The actions `view` keeps, in order; those `pinned` (by id: changed here, so that
        one marked done stays in sight until the view changes) are kept whatever it says."""
        words = fold(view.words).split()
        searchable = self._searchable() if words else None
        kept = []
        for index, item in enumerate(self.items):
            if item.action.action_id not in pinned:
                if not view.closed and not item.open and view.status is None:
                    continue
                if view.status is not None and item.action.status != view.status:
                    continue
                if view.overdue and not item.days_overdue:
                    continue
                if searchable is not None and not all(w in searchable[index] for w in words):
                    continue
            kept.append(item)
        return kept

    def groups(self, view: View, pinned: frozenset[int] = frozenset()) -> list[Group]:
        """The actions `view` keeps, grouped as it says: the groups with the most overdue
        first (then the one whose first action comes first), each in order."""
        by_key: dict[str, list[FollowUp]] = {}
        titles: dict[str, tuple[str, int | None]] = {}
        for item in self.shown(view, pinned):
            action = item.action
            if view.by == "incident":
                key = str(action.session_id)
                title: tuple[str, int | None] = (action.incident, action.session_id)
            else:
                key = fold(" ".join(action.owner.split()))
                title = (" ".join(action.owner.split()), None)
            by_key.setdefault(key, []).append(item)
            titles.setdefault(key, title)
        groups = [
            Group(key, titles[key][0], titles[key][1], tuple(items))
            for key, items in by_key.items()
        ]
        # Stable: among groups as overdue, the one whose first action comes first stays first.
        groups.sort(key=lambda group: -group.overdue)
        return groups
