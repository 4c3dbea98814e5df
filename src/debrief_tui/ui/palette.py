"""The command palette's entries: every key active on the screen, and a meeting's stages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from debrief_tui.core.meeting import Agenda

# Palette entries that Textual already offers itself.
_BUILTIN_ACTIONS = frozenset({"command_palette", "quit", "app.quit", "app.command_palette"})


def key_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    """One entry per key binding active on `screen` (the palette and the keys cannot drift
    apart), named by its description, with its key or tooltip as help."""
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.action in _BUILTIN_ACTIONS:
            continue
        if binding.description in seen or not active.enabled:
            continue
        seen.add(binding.description)
        help_text = binding.tooltip or f"Key: {app.get_key_display(binding) or key}"
        yield SystemCommand(
            binding.description, help_text, partial(app.run_action, binding.action, active.node)
        )


def stage_commands(agenda: Agenda, go_to: Callable[[int], object]) -> Iterable[SystemCommand]:
    """One entry per stage of the meeting, by its title."""
    stages = agenda.stages
    for index, stage in enumerate(stages):
        yield SystemCommand(
            stage.title,
            f"Go to stage {index + 1}/{len(stages)} ({stage.timebox_minutes} min)",
            partial(go_to, index),
        )
