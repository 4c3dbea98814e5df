"""The command palette's entries: every key of ours active on the screen, and a meeting's
stages. Textual's own stock keys (cursor moves, text editing, copy) and its own commands that
a meeting has its own keys for (a theme picker beside f3, a keys panel beside f1) are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from debrief_tui.core.meeting import Agenda

# Palette entries that Textual already offers itself.
_BUILTIN_ACTIONS = frozenset({"command_palette", "app.command_palette"})

TEXTUAL_COMMANDS_LEFT_OUT = frozenset({"Theme", "Keys", "Quit"})
"""Textual's own palette commands that the meeting replaces with its keys: the theme picker
(f3 switches debrief's two themes), the keys panel (f1 shows them all) and Quit (ctrl+q, which
records the stage's time first, is listed with its key)."""


def declared_by_us(node: DOMNode, binding: Binding) -> bool:
    """True unless `binding` comes from one of Textual's own classes (an Input's text editing,
    a table's cursor keys, the screen's copy): the most derived class of `node` that declares
    the key for the action decides."""
    for cls in type(node).__mro__:
        for declared in cls.__dict__.get("BINDINGS", ()):
            if isinstance(declared, Binding):
                keys, action = declared.key, declared.action
            else:
                keys, action = declared[0], declared[1]
            if action == binding.action and binding.key in keys.split(","):
                return not cls.__module__.startswith("textual.")
    return True


def shown_builtin(command: SystemCommand) -> bool:
    """Whether one of Textual's own palette commands fits the meeting."""
    return command.title not in TEXTUAL_COMMANDS_LEFT_OUT


def key_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    """One entry per key binding of ours active on `screen` (the palette and the keys cannot
    drift apart), named by its description, with its key (and tooltip) as help."""
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.action in _BUILTIN_ACTIONS:
            continue
        if binding.description in seen or not active.enabled:
            continue
        if not declared_by_us(active.node, binding):
            continue
        seen.add(binding.description)
        shown_key = app.get_key_display(binding) or key
        help_text = f"{shown_key} · {binding.tooltip}" if binding.tooltip else f"Key: {shown_key}"
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
