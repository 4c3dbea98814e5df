"""The two themes made for screen sharing, read from `styles/themes.toml`."""

from __future__ import annotations

import tomllib

from textual.theme import Theme

from debrief_tui.paths import styles_path


def _themes() -> tuple[Theme, Theme]:
    """The dark and the light theme."""
    with styles_path("themes.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    return Theme(**raw["dark"]), Theme(**raw["light"])


DARK, LIGHT = _themes()
