"""Reference data teams tune (severities, SLA targets, event kinds, factor categories,
in `data/`) and the fixed vocabularies of a postmortem."""

from __future__ import annotations

from typing import TYPE_CHECKING

from debrief_tui.core.lazy import load

if TYPE_CHECKING:
    from debrief_tui.core.reference.data import (
        EventKind,
        FactorCategory,
        ReviewTarget,
        Severity,
        SlaTargets,
        event_kind_keys,
        event_kinds,
        factor_categories,
        factor_category_keys,
        load_data_toml,
        normalise_severity,
        parse_review_targets,
        review_targets,
        severities,
        severity_keys,
        sla_targets,
    )
    from debrief_tui.core.reference.vocab import (
        ACTION_PRIORITIES,
        ACTION_STATUSES,
        ACTION_TYPES,
        DETECTION_METHODS,
        LESSON_KINDS,
        ROLES,
        STATUSES,
    )

__all__ = [
    "ACTION_PRIORITIES",
    "ACTION_STATUSES",
    "ACTION_TYPES",
    "DETECTION_METHODS",
    "LESSON_KINDS",
    "ROLES",
    "STATUSES",
    "EventKind",
    "FactorCategory",
    "ReviewTarget",
    "Severity",
    "SlaTargets",
    "event_kind_keys",
    "event_kinds",
    "factor_categories",
    "factor_category_keys",
    "load_data_toml",
    "normalise_severity",
    "parse_review_targets",
    "review_targets",
    "severities",
    "severity_keys",
    "sla_targets",
]

# Where each name lives: its module is imported when the name is first used.
_WHERE = {
    "EventKind": "data",
    "FactorCategory": "data",
    "ReviewTarget": "data",
    "Severity": "data",
    "SlaTargets": "data",
    "event_kind_keys": "data",
    "event_kinds": "data",
    "factor_categories": "data",
    "factor_category_keys": "data",
    "load_data_toml": "data",
    "normalise_severity": "data",
    "parse_review_targets": "data",
    "review_targets": "data",
    "severities": "data",
    "severity_keys": "data",
    "sla_targets": "data",
    "ACTION_PRIORITIES": "vocab",
    "ACTION_STATUSES": "vocab",
    "ACTION_TYPES": "vocab",
    "DETECTION_METHODS": "vocab",
    "LESSON_KINDS": "vocab",
    "ROLES": "vocab",
    "STATUSES": "vocab",
}


def __getattr__(name: str) -> object:
    """Load the module holding `name` on first use."""
    return load(__name__, _WHERE, name)
