"""Following actions up across incidents: every action of every session, what is overdue or
due soon, and whose it is.

Pure functions over plain records (the repository reads them in one query). "Overdue" is
judged in each session's own time zone: an action due on the 3rd in Auckland is overdue there
while it is still the 3rd in London.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cached_property
from typing import Literal

from debrief_tui.core.actions.smart import smart_gaps
from debrief_tui.core.clock import FIRST_YEAR, LAST_YEAR, today_in
from debrief_tui.core.errors import InputError
from debrief_tui.core.reference.vocab import ACTION_STATUSES

CLOSED = frozenset({"done", "won't do"})
"""Statuses that need no follow-up."""


@dataclass(frozen=True)
class Tracked:
    """One action as stored, with what the follow-up needs of its session."""

    action_id: int
    session_id: int
    incident: str
    severity: str
    zone: str
    text: str
    owner: str
    due_date: date | None
    priority: str
    type: str
    status: str
    ticket: str
    proposal: bool
    teams: tuple[tuple[str, str], ...] = ()
    """The session's attendees as (name, team): an owner may be named by either."""


@dataclass(frozen=True)
class FollowUp:
    """An action as a follow-up list shows it."""

    action: Tracked
    today: date
    """Today in the session's zone."""

    @cached_property
    def gaps(self) -> tuple[str, ...]:
        """Its SMART gaps, as short marks (worked out when first asked: a list of 50,000
        actions shows a screenful, and the check reads each text against its rules)."""
        people = [name for name, _team in self.action.teams]
        return tuple(gap.mark for gap in smart_gaps(self.action, self.today, people))

    # Worked out once each: a view of the Follow-ups screen asks them of 50,000 actions.
    @cached_property
    def open(self) -> bool:
        """Not done and not dropped."""
        return self.action.status not in CLOSED

    @cached_property
    def days_overdue(self) -> int:
        """Days past its due date (0 when not overdue, closed or undated)."""
        due = self.action.due_date
        if not self.open or due is None or due >= self.today:
            return 0
        return (self.today - due).days

    @cached_property
    def days_left(self) -> int | None:
        """Days until it is due (negative when overdue; None without a due date)."""
        due = self.action.due_date
        return None if due is None else (due - self.today).days


def due_phrase(item: FollowUp) -> str:
    """How soon it is due, as a follow-up list says it: `overdue 9d`, `due today`,
    `due in 3d`; `-` when closed or undated."""
    if item.days_overdue:
        return f"overdue {item.days_overdue}d"
    left = item.days_left
    if item.open and left is not None:
        return "due today" if left == 0 else f"due in {left}d"
    return "-"


def _folded(text: str) -> str:
    # "José" and "jose" name the same owner when typed at a prompt.
    decomposed = unicodedata.normalize("NFKD", text.casefold().strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def owned_by(action: Tracked, name: str) -> bool:
    """Whether `name` owns `action`: as its owner (any case or accent), or as the team of the
    attendee who owns it, or as the first name of its owner."""
    wanted = _folded(name)
    owner = _folded(action.owner)
    if not wanted or not owner:
        return False
    if owner == wanted or owner.split()[0] == wanted:
        return True
    return any(
        _folded(person) == owner and _folded(team) == wanted for person, team in action.teams
    )


def to_follow_up(
    actions: Iterable[Tracked],
    now: datetime,
    *,
    overdue: bool = False,
    due_within: int | None = None,
    owner: str | None = None,
    status: str | None = None,
) -> list[FollowUp]:
    """The actions to follow up at `now` (UTC), filtered, overdue first (most overdue first),
    then by due date, undated last; each incident's actions together where they tie.

    By default every action is listed, closed ones too; `overdue` keeps the open ones past
    their due date, `due_within` the open ones due within that many days (overdue included),
    `owner` those `owned_by` the name, `status` those with that status.
    """
    todays: dict[str, date] = {}
    found: list[FollowUp] = []
    for action in actions:
        if status is not None and action.status != status:
            continue
        if owner is not None and not owned_by(action, owner):
            continue
        today = todays.get(action.zone)
        if today is None:
            today = todays[action.zone] = today_in(action.zone, now)
        item = FollowUp(action, today)
        if overdue and not item.days_overdue:
            continue
        if due_within is not None:
            left = item.days_left
            if not item.open or left is None or left > due_within:
                continue
        found.append(item)
    return sorted(found, key=follow_up_order)


def follow_up_order(item: FollowUp) -> tuple[int, int, int, int]:
    """Where `item` goes in a follow-up list: overdue first (most overdue first), then open
    ones by due date (undated last), closed ones last; by session and id where they tie."""
    left = item.days_left
    return (
        0 if item.days_overdue else 1 if item.open else 2,
        left if left is not None else 1 << 30,
        item.action.session_id,
        item.action.action_id,
    )


def overdue_count(items: Sequence[FollowUp]) -> int:
    """How many of `items` are overdue."""
    return sum(1 for item in items if item.days_overdue)


@dataclass(frozen=True)
class FollowUpChange:
    """One field of an action changed in place while following it up, and its new value."""

    field: Literal["status", "owner", "due_date"]
    value: str | date | None


def check_follow_up(change: FollowUpChange) -> str | date | None:
    """The value as stored (an owner's white space folded); InputError for a status not in
    the vocabulary, an owner that is not text or a due date outside the years kept."""
    value = change.value
    if change.field == "status":
        if value not in ACTION_STATUSES:
            raise InputError(f"status: {value!r} is not one of {', '.join(ACTION_STATUSES)}")
        return value
    if change.field == "owner":
        if not isinstance(value, str):
            raise InputError("an owner is a name")
        return " ".join(value.split())
    if value is not None and not (
        isinstance(value, date) and FIRST_YEAR <= value.year <= LAST_YEAR
    ):
        raise InputError(f"a due date is a day from {FIRST_YEAR} to {LAST_YEAR}")
    return value


def with_change(action: Tracked, change: FollowUpChange) -> Tracked:
    """`action` as it is once `change` is saved."""
    value = check_follow_up(change)
    if change.field == "due_date":
        return replace(action, due_date=value if isinstance(value, date) else None)
    if change.field == "owner":
        return replace(action, owner=str(value))
    return replace(action, status=str(value))
