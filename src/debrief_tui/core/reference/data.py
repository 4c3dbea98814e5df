"""Reference data that teams tune, read from the shipped `data/` folder."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from debrief_tui.paths import data_path


def load_data_toml(name: str) -> dict[str, Any]:
    """A TOML file from the shipped `data/` folder, parsed."""
    with data_path(name).open("rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Severity:
    """A severity level as defined in `data/severities.toml`."""

    key: str
    name: str
    description: str
    postmortem: str


@cache
def severities() -> tuple[Severity, ...]:
    """The severity levels, most severe first."""
    raw = load_data_toml("severities.toml")
    return tuple(
        Severity(
            key=item["key"],
            name=item["name"],
            description=item.get("description", ""),
            postmortem=item.get("postmortem", ""),
        )
        for item in raw["severity"]
    )


def severity_keys() -> tuple[str, ...]:
    """The keys of the severity levels (`SEV1`, ...), most severe first."""
    return tuple(s.key for s in severities())


def normalise_severity(text: str) -> str | None:
    """The severity key matching `text` (case and spaces ignored, `1` means `SEV1`), or None."""
    wanted = text.strip().upper().replace(" ", "")
    for key in severity_keys():
        if wanted in (key.upper(), key.upper().removeprefix("SEV")):
            return key
    return None


@dataclass(frozen=True)
class SlaTargets:
    """Response targets for one severity, from `data/sla.toml` (minutes; percent)."""

    detect_minutes: int | None
    acknowledge_minutes: int | None
    mitigate_minutes: int | None
    resolve_minutes: int | None
    availability_percent: float | None

    @property
    def downtime_budget_minutes(self) -> int | None:
        """Downtime a 30-day month allows at the availability objective, rounded down."""
        if self.availability_percent is None:
            return None
        return int(30 * 24 * 60 * (100 - self.availability_percent) / 100)


@cache
def sla_targets() -> dict[str, SlaTargets]:
    """Targets by severity key; a severity missing from the file has no targets."""
    raw = load_data_toml("sla.toml")

    def number(table: dict[str, object], name: str) -> int | None:
        value = table.get(name)
        return int(value) if isinstance(value, int | float) else None

    targets = {}
    for key, table in raw.items():
        percent = table.get("availability_percent")
        targets[key] = SlaTargets(
            detect_minutes=number(table, "detect_minutes"),
            acknowledge_minutes=number(table, "acknowledge_minutes"),
            mitigate_minutes=number(table, "mitigate_minutes"),
            resolve_minutes=number(table, "resolve_minutes"),
            availability_percent=float(percent) if isinstance(percent, int | float) else None,
        )
    return targets


@dataclass(frozen=True)
class EventKind:
    """A kind of timeline event and the words that suggest it."""

    key: str
    words: tuple[str, ...]


@cache
def event_kinds() -> tuple[EventKind, ...]:
    """Kinds of timeline events from `data/event_kinds.toml`, in the order the guess tries."""
    raw = load_data_toml("event_kinds.toml")
    kinds = tuple(
        EventKind(key=str(item["key"]), words=tuple(str(w) for w in item.get("words", ())))
        for item in raw["kind"]
    )
    if "observation" not in {k.key for k in kinds}:
        kinds += (EventKind("observation", ()),)
    return kinds


def event_kind_keys() -> tuple[str, ...]:
    """The keys of the event kinds (`alert`, `comms`, ...)."""
    return tuple(k.key for k in event_kinds())


@dataclass(frozen=True)
class FactorCategory:
    """A category of contributing factors and what belongs in it."""

    key: str
    hint: str


@cache
def factor_categories() -> tuple[FactorCategory, ...]:
    """Categories of contributing factors from `data/factor_categories.toml`, in order."""
    raw = load_data_toml("factor_categories.toml")
    return tuple(
        FactorCategory(key=str(item["key"]), hint=str(item.get("hint", "")))
        for item in raw["category"]
    )


def factor_category_keys() -> tuple[str, ...]:
    """The keys of the factor categories, in order."""
    return tuple(c.key for c in factor_categories())


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""Day names as `data/review_targets.toml` spells them, Monday first (Python's weekday order)."""


@dataclass(frozen=True)
class ReviewTarget:
    """How soon after resolution one severity's review meeting should be held."""

    severity: str
    days: int
    business_days: bool
    week: frozenset[int] = frozenset(range(5))
    """The working days (0 is Monday) that business days count."""

    @property
    def wording(self) -> str:
        """`3 days` or `5 business days`."""
        unit = "business day" if self.business_days else "day"
        return f"{self.days} {unit}{'' if self.days == 1 else 's'}"


@cache
def review_targets() -> dict[str, ReviewTarget]:
    """Review-meeting targets by severity key, from `data/review_targets.toml`; ValueError
    naming the entry for a file that does not hold a whole number of days per severity."""
    return parse_review_targets(load_data_toml("review_targets.toml"))


def parse_review_targets(raw: dict[str, Any]) -> dict[str, ReviewTarget]:
    """Review targets read from the parsed TOML `raw` (see `data/review_targets.toml`)."""
    names = raw.get("week", list(WEEKDAYS[:5]))
    if not isinstance(names, list) or not names or any(n not in WEEKDAYS for n in names):
        raise ValueError(f"review_targets.toml: week must list day names from {WEEKDAYS}")
    week = frozenset(WEEKDAYS.index(n) for n in names)
    targets = {}
    for key, table in raw.items():
        if key == "week":
            continue
        days = table.get("days") if isinstance(table, dict) else None
        # bool is an int in Python: `days = true` is a mistake, not one day.
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            raise ValueError(f"review_targets.toml: [{key}] needs days = a whole number ≥ 0")
        business = table.get("business_days", False)
        if not isinstance(business, bool):
            raise ValueError(f"review_targets.toml: [{key}] business_days must be true or false")
        targets[key] = ReviewTarget(key, days, business, week)
    return targets
