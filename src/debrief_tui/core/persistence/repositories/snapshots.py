"""What each stage shows, read together in one transaction: a stage reads one snapshot per
visit, so what it shows is consistent, and the UI never waits on the database."""

from __future__ import annotations

from typing import NamedTuple

from debrief_tui.core.actions.items import ActionLinks
from debrief_tui.core.export.json_export import ExportSource
from debrief_tui.core.meeting.wrap_up import SessionData, factors_answered
from debrief_tui.core.persistence.models import (
    Action,
    Attendee,
    Factor,
    Lesson,
    Minute,
    PostmortemSession,
    StageRun,
    TimelineEvent,
    WhyNode,
)
from debrief_tui.core.persistence.repositories.actions import ActionRepository
from debrief_tui.core.persistence.repositories.attendees import AttendeeRepository
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.repositories.factors import FactorRepository
from debrief_tui.core.persistence.repositories.lessons import LessonRepository
from debrief_tui.core.persistence.repositories.links import LinkRepository
from debrief_tui.core.persistence.repositories.meeting import MeetingRepository
from debrief_tui.core.persistence.repositories.minutes import MinuteRepository
from debrief_tui.core.persistence.repositories.parking import ParkingRepository
from debrief_tui.core.persistence.repositories.sessions import SessionRepository
from debrief_tui.core.persistence.repositories.timeline import TimelineRepository
from debrief_tui.core.persistence.repositories.whys import WhyRepository
from debrief_tui.core.timeline.links import LinkRow


class MeetingSnapshot(NamedTuple):
    """What an open meeting keeps beside its stages: the session, minutes, people, stage time."""

    session: PostmortemSession
    minutes: list[Minute]
    attendees: list[Attendee]
    runs: list[StageRun]


class TimelineSnapshot(NamedTuple):
    """The timeline stage: the session's facts (milestones, zone) and its events."""

    session: PostmortemSession
    events: list[TimelineEvent]
    links: dict[int, list[LinkRow]]
    """The links of each event that has any."""


class WhysSnapshot(NamedTuple):
    """The 5 Whys stage: the tree, and what its marks and hints depend on."""

    nodes: list[WhyNode]
    answered: set[int]
    """Nodes a factor or an action answers, or accepted with no action."""
    factor_of: dict[int, str]
    """The category of the factor each linked node became."""
    acted: set[int]
    """Nodes an action answers."""


class FactorsSnapshot(NamedTuple):
    """The contributing factors stage."""

    factors: list[Factor]
    links: dict[int, list[int]]
    actions_for: dict[int, int]
    """How many actions answer each factor."""
    whys: list[WhyNode]


class ActionsSnapshot(NamedTuple):
    """The actions stage."""

    session: PostmortemSession
    attendees: list[Attendee]
    actions: list[Action]
    links: dict[int, ActionLinks]
    whys: list[WhyNode]
    factors: list[Factor]


class SnapshotRepository(Repository):
    """Each stage's reads, together in the unit's transaction."""

    def meeting(self, session_id: int) -> MeetingSnapshot:
        """An open meeting's session, minutes, attendees and stage runs."""
        return MeetingSnapshot(
            self.sibling(SessionRepository).get(session_id),
            self.sibling(MinuteRepository).of(session_id),
            self.sibling(AttendeeRepository).of(session_id),
            self.sibling(MeetingRepository).runs(session_id),
        )

    def timeline(self, session_id: int) -> TimelineSnapshot:
        """The session and its events in time order."""
        return TimelineSnapshot(
            self.sibling(SessionRepository).get(session_id),
            self.sibling(TimelineRepository).of(session_id),
            self.sibling(LinkRepository).by_event(session_id),
        )

    def whys(self, session_id: int) -> WhysSnapshot:
        """The tree, which nodes are answered, linked to a factor (its category) or acted on."""
        factors = self.sibling(FactorRepository)
        categories = {f.id: f.category for f in factors.of(session_id)}
        factor_of: dict[int, str] = {}
        for factor_id, why_ids in factors.links(session_id).items():
            for why_id in why_ids:
                factor_of.setdefault(why_id, categories.get(factor_id, "factor"))
        links = self.sibling(ActionRepository).links(session_id)
        whys = self.sibling(WhyRepository)
        return WhysSnapshot(
            whys.of(session_id),
            whys.answered(session_id),
            factor_of,
            {why_id for each in links.values() for why_id in each.why_ids},
        )

    def factors(self, session_id: int) -> FactorsSnapshot:
        """The factors, their why-nodes, and how many actions answer each (an action on a
        why-node a factor came from answers the factor too)."""
        factors = self.sibling(FactorRepository)
        factor_whys = factors.links(session_id)
        actions_for: dict[int, int] = {}
        for links in self.sibling(ActionRepository).links(session_id).values():
            for factor_id in factors_answered(links, factor_whys):
                actions_for[factor_id] = actions_for.get(factor_id, 0) + 1
        return FactorsSnapshot(
            factors.of(session_id),
            factor_whys,
            actions_for,
            self.sibling(WhyRepository).of(session_id),
        )

    def lessons(self, session_id: int) -> list[Lesson]:
        """The lessons, list by list."""
        return self.sibling(LessonRepository).of(session_id)

    def actions(self, session_id: int) -> ActionsSnapshot:
        """The actions with what they answer, and the people who can own them."""
        actions = self.sibling(ActionRepository)
        return ActionsSnapshot(
            self.sibling(SessionRepository).get(session_id),
            self.sibling(AttendeeRepository).of(session_id),
            actions.of(session_id),
            actions.links(session_id),
            self.sibling(WhyRepository).of(session_id),
            self.sibling(FactorRepository).of(session_id),
        )

    def wrap_up(self, session_id: int) -> SessionData:
        """Everything the wrap-up checklist reads."""
        actions = self.sibling(ActionRepository)
        return SessionData(
            self.sibling(SessionRepository).get(session_id),
            self.sibling(AttendeeRepository).of(session_id),
            self.sibling(WhyRepository).of(session_id),
            self.sibling(FactorRepository).of(session_id),
            actions.of(session_id),
            actions.links(session_id),
            self.sibling(ParkingRepository).of(session_id),
            self.sibling(FactorRepository).links(session_id),
        )

    def export(self, session_id: int) -> ExportSource:
        """Everything an export writes."""
        factors, actions = self.sibling(FactorRepository), self.sibling(ActionRepository)
        return ExportSource(
            session=self.sibling(SessionRepository).get(session_id),
            events=self.sibling(TimelineRepository).of(session_id),
            attendees=self.sibling(AttendeeRepository).of(session_id),
            whys=self.sibling(WhyRepository).of(session_id),
            factors=factors.of(session_id),
            factor_links=factors.links(session_id),
            lessons=self.sibling(LessonRepository).of(session_id),
            actions=actions.of(session_id),
            action_links=actions.links(session_id),
            parking=self.sibling(ParkingRepository).of(session_id),
            minutes=self.sibling(MinuteRepository).rows(session_id),
            runs=self.sibling(MeetingRepository).runs(session_id),
            links=self.sibling(LinkRepository).of(session_id),
        )
