"""The tables of a debrief database, as SQLModel classes.

Only the repositories (`repositories/`) read and write them; the schema itself is built and
upgraded by `migrations`, and a test checks the two agree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from debrief_tui.core.persistence.sqltypes import UTCDateTime


def _session_fk() -> Any:
    return Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("session.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )


def _link_key(table: str) -> Any:
    """Half of a link table's key: a reference to `table`, deleted along with it."""
    return Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), primary_key=True
        )
    )


def _when(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=nullable))


class PostmortemSession(SQLModel, table=True):
    """One postmortem: the incident's facts and the meeting's state."""

    __tablename__ = "session"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    severity: str
    status: str = "draft"
    timezone: str = "UTC"
    summary: str = ""
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    started_at: datetime | None = _when()
    detected_at: datetime | None = _when()
    first_logged_at: datetime | None = _when()
    acknowledged_at: datetime | None = _when()
    first_communication_at: datetime | None = _when()
    mitigated_at: datetime | None = _when()
    resolved_at: datetime | None = _when()
    users_affected: int | None = None
    accounts_affected: int | None = None
    support_requests: int | None = None
    services_affected: str = ""
    detection_method: str | None = None
    problem_statement: str | None = None
    review_at: datetime | None = _when()
    status_changed_at: datetime | None = _when()
    current_stage: str | None = None
    agenda_path: str | None = None
    source: str | None = None


class Attendee(SQLModel, table=True):
    """A person in the meeting, with the team they are from and their role."""

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    name: str
    team: str = ""
    role: str = "responder"


class TimelineEvent(SQLModel, table=True):
    """One line of the incident timeline."""

    __tablename__ = "timeline_event"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    text: str
    kind: str = "observation"
    key_event: bool = False
    approximate: bool = False
    author: str | None = None
    """Who wrote it, where it came from a chat; an attendee's name as the session spells it."""


class Link(SQLModel, table=True):
    """A link (a dashboard, a recording, the chat channel...) on a session or on one of its
    timeline events."""

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    event_id: int | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("timeline_event.id", ondelete="CASCADE"),
            nullable=True,
            index=True,
        ),
    )
    """The event it belongs to; None for the session's own links."""
    position: int = 0
    url: str
    label: str = ""


class WhyNode(SQLModel, table=True):
    """A node of the 5 Whys tree; the node without a parent is the problem statement."""

    __tablename__ = "why_node"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    parent_id: int | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("why_node.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    position: int = 0
    text: str = ""
    root_cause: bool = False
    no_action_note: str | None = None


class Factor(SQLModel, table=True):
    """A contributing factor, in a category from `data/`."""

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    category: str
    text: str
    position: int = 0
    no_action_note: str | None = None


class FactorWhy(SQLModel, table=True):
    """Links a contributing factor to the why-nodes it came from."""

    __tablename__ = "factor_why"

    factor_id: int = _link_key("factor")
    why_id: int = _link_key("why_node")


class Lesson(SQLModel, table=True):
    """Something that went well, went wrong, or where the team got lucky."""

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    kind: str
    text: str
    position: int = 0


class Action(SQLModel, table=True):
    """A follow-up action item."""

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    text: str
    owner: str = ""
    due_date: date | None = None
    priority: str = "P2"
    type: str = "prevent"
    status: str = "open"
    ticket: str = ""
    proposal: bool = False


class ActionFactor(SQLModel, table=True):
    """Links an action to the contributing factors it answers."""

    __tablename__ = "action_factor"

    action_id: int = _link_key("action")
    factor_id: int = _link_key("factor")


class ActionWhy(SQLModel, table=True):
    """Links an action to the why-nodes it answers."""

    __tablename__ = "action_why"

    action_id: int = _link_key("action")
    why_id: int = _link_key("why_node")


class Minute(SQLModel, table=True):
    """One line of the meeting minutes."""

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    stage: str
    author: str | None = None
    text: str


class StageRun(SQLModel, table=True):
    """A span of meeting time spent in one agenda stage."""

    __tablename__ = "stage_run"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    stage: str
    started_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    ended_at: datetime | None = _when()


class ParkingItem(SQLModel, table=True):
    """A topic parked during the meeting, to be picked up later."""

    __tablename__ = "parking_item"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    text: str
    stage: str = ""
    owner: str = ""
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class ChangeLog(SQLModel, table=True):
    """What a committed write touched, one row per item, for the other seats to catch up.

    `seq` only grows (SQLite AUTOINCREMENT; on PostgreSQL rows are numbered under the write
    lock, in commit order), so a seat asks for the rows after the last one it saw.
    """

    __tablename__ = "change_log"
    __table_args__ = {"sqlite_autoincrement": True}

    seq: int | None = Field(default=None, primary_key=True)
    session_id: int | None = None
    kind: str
    row_id: int | None = None
    op: str
    seat: str | None = None
    at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class Seat(SQLModel, table=True):
    """A terminal or browser that has a session open, and in which role."""

    id: str = Field(primary_key=True)
    session_id: int | None = None
    role: str
    name: str
    started_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    seen_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
