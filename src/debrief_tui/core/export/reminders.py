"""The reminder digest (`debrief remind`): per owner, what is overdue and what falls due soon,
ready to paste into chat or mail, or to feed a script as JSON.

User text is escaped for Markdown (an action's text cannot become a heading or a link) and
written out plainly elsewhere: control characters and direction overrides are made visible.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from debrief_tui.core.actions import FollowUp
from debrief_tui.core.export.escaping import md, plain
from debrief_tui.core.text import counted

NO_OWNER = "No owner yet"
"""The heading of the actions nobody owns (the digest's first section: they need one)."""


def by_owner(items: Sequence[FollowUp]) -> list[tuple[str, list[FollowUp]]]:
    """The items grouped by owner as written (any case the same), unowned first, then by the
    most overdue item of each owner, then by name."""
    groups: dict[str, tuple[str, list[FollowUp]]] = {}
    for item in items:
        owner = " ".join(item.action.owner.split())
        key = owner.casefold()
        groups.setdefault(key, (owner or NO_OWNER, []))[1].append(item)

    def order(entry: tuple[str, tuple[str, list[FollowUp]]]) -> tuple[int, int, str]:
        key, (_name, owned) = entry
        return (0 if not key else 1, -max(i.days_overdue for i in owned), key)

    return [group for _key, group in sorted(groups.items(), key=order)]


def _when(item: FollowUp) -> str:
    due = item.action.due_date
    assert due is not None  # a reminder is about a due date
    if item.days_overdue:
        return f"overdue {counted(item.days_overdue, 'day')} (due {due.isoformat()})"
    left = item.days_left or 0
    return (
        f"due today ({due.isoformat()})"
        if left == 0
        else (f"due in {counted(left, 'day')} ({due.isoformat()})")
    )


def _summary(items: Sequence[FollowUp], within: int) -> str:
    overdue = sum(1 for i in items if i.days_overdue)
    soon = len(items) - overdue
    incidents = len({i.action.session_id for i in items})
    return (
        f"{counted(overdue, 'action')} overdue, {soon} due within {counted(within, 'day')}, "
        f"across {counted(incidents, 'incident')}."
    )


def empty_digest(within: int) -> str:
    """What the digest says when nothing is overdue or due soon."""
    return f"Nothing is overdue or due within {counted(within, 'day')}."


def digest_markdown(items: Sequence[FollowUp], today: date, within: int) -> str:
    """The digest as Markdown: a heading per owner, a bullet per action, overdue in bold."""
    lines = [f"# Actions to follow up, {today.isoformat()}", ""]
    if not items:
        return "\n".join([*lines, empty_digest(within), ""])
    lines += [_summary(items, within), ""]
    for owner, owned in by_owner(items):
        lines += [f"## {md(owner)}", ""]
        for item in owned:
            a = item.action
            when = _when(item)
            when = f"**{when}**" if item.days_overdue else when
            ticket = f" [{md(a.ticket)}]" if a.ticket else ""
            lines.append(f"- {when}: {md(a.text)}{ticket} (#{a.session_id} {md(a.incident)})")
        lines.append("")
    return "\n".join(lines)


def digest_text(items: Sequence[FollowUp], today: date, within: int) -> str:
    """The digest as plain text, for mail: the same sections without markup."""
    lines = [f"Actions to follow up, {today.isoformat()}", ""]
    if not items:
        return "\n".join([*lines, empty_digest(within), ""])
    lines += [_summary(items, within), ""]
    for owner, owned in by_owner(items):
        lines.append(plain(owner))
        for item in owned:
            a = item.action
            ticket = f" [{plain(a.ticket)}]" if a.ticket else ""
            lines.append(
                f"  - {_when(item)}: {plain(a.text)}{ticket} (#{a.session_id} {plain(a.incident)})"
            )
        lines.append("")
    return "\n".join(lines)


def digest_json(items: Sequence[FollowUp], today: date, within: int) -> str:
    """The digest as JSON: the date, the window, and each owner's actions."""
    owners = [
        {
            "owner": "" if owner == NO_OWNER else owner,
            "actions": [
                {
                    "session_id": i.action.session_id,
                    "incident": i.action.incident,
                    "action_id": i.action.action_id,
                    "text": i.action.text,
                    "due": i.action.due_date.isoformat() if i.action.due_date else None,
                    "days_overdue": i.days_overdue,
                    "status": i.action.status,
                    "ticket": i.action.ticket,
                }
                for i in owned
            ],
        }
        for owner, owned in by_owner(items)
    ]
    doc = {"date": today.isoformat(), "within_days": within, "owners": owners}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


DIGEST_FORMATS = ("md", "text", "json")
"""The forms `debrief remind` writes."""


def reminder_digest(items: Sequence[FollowUp], today: date, within: int, fmt: str) -> str:
    """The digest of `items` (open actions overdue or due within `within` days, as
    `to_follow_up` gives them) in one of `DIGEST_FORMATS`."""
    writers = {"md": digest_markdown, "text": digest_text, "json": digest_json}
    return writers[fmt](items, today, within)
