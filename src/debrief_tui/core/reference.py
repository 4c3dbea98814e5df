"""Reference data that teams tune, read from the shipped `data/` folder."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from debrief_tui.paths import data_path


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
    with data_path("severities.toml").open("rb") as fh:
        raw = tomllib.load(fh)
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
