"""The help screen (f1 or ?): every key of the screen under it, from its active bindings.

Nothing here is a hand-kept list: the keys are read from the bindings that the screen below,
its stage's list or tree, the focused widget and the app declare, so a key added to a stage
shows here (and in the palette) the day it is added. Textual's own text-editing and cursor
keys are left out; they are the same in every box and list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from debrief_tui.paths import styles_path
from debrief_tui.ui.palette import declared_by_us
from debrief_tui.ui.screens.meeting_keys import MEETING_KEYS

MEETING_IDS = frozenset(b.id for b in MEETING_KEYS if isinstance(b, Binding) and b.id)
"""The ids of the meeting's own keys (on every stage)."""


@dataclass(frozen=True)
class KeyRow:
    """One action and every key bound to it."""

    keys: tuple[str, ...]
    description: str
    explanation: str
    meeting: bool  # a key of the meeting (or the app) rather than of this stage


def key_rows(screen: Screen[Any]) -> list[KeyRow]:
    """The keys on `screen`: the focused widget's, the stage's list or tree (focused or not),
    the screen's and the app's; one row per action, Textual's stock keys left out."""
    app = screen.app
    nodes: list[DOMNode] = []
    focused = screen.focused
    node: DOMNode | None = focused
    while node is not None and node is not screen:
        nodes.append(node)
        node = node.parent
    main = getattr(screen, "main_widget", None)
    if callable(main):
        widget = main()
        if isinstance(widget, DOMNode) and widget not in nodes:
            nodes.append(widget)
    nodes.extend((screen, app))
    rows: dict[tuple[str, str], list[str]] = {}
    facts: dict[tuple[str, str], tuple[str, bool]] = {}
    for owner in nodes:
        for bindings in owner._bindings.key_to_bindings.values():
            for binding in bindings:
                palette = owner is app and binding.action == "command_palette"
                if not binding.description or not (palette or declared_by_us(owner, binding)):
                    continue
                if not _available(owner, screen, binding.action):
                    continue  # f5 is Start, Pause or Resume: the one it is now
                name = "Command palette" if palette else binding.description
                group = (binding.action, name)
                display = app.get_key_display(binding)
                shown = rows.setdefault(group, [])
                if display not in shown:
                    shown.append(display)
                meeting = owner is app or binding.id in MEETING_IDS
                facts.setdefault(group, (binding.tooltip, meeting))
    return [
        KeyRow(tuple(rows[group]), group[1], facts[group][0], facts[group][1]) for group in rows
    ]


def _available(owner: DOMNode, screen: Screen[Any], action: str) -> bool:
    """Whether the action a key runs is there to run now (a key shown only in one state, such
    as f5's Start before the meeting and Pause during it, is listed in that state only)."""
    destination, name, parameters = parse_action(action)
    target = {"app": screen.app, "screen": screen}.get(destination, owner)
    return target.check_action(name, parameters) is not False


def _table(rows: list[KeyRow]) -> Table:
    """The stage's keys, then the meeting's, under a heading each, in one pair of columns."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for heading, meeting in (("This stage", False), ("The meeting", True)):
        shown = [row for row in rows if row.meeting is meeting]
        if not shown:
            continue
        table.add_row(Text(heading, style="bold underline"), "")
        for row in shown:
            what = Text(row.description, style="bold")
            if row.explanation:
                what.append(f"  {row.explanation}", style="")
            table.add_row(Text(" ".join(row.keys)), what)
    return table


class HelpScreen(ModalScreen[None]):
    """Every key of the stage under it and of the meeting; Esc (or f1, ?) closes it."""

    CSS_PATH: ClassVar = [styles_path("dialogs.tcss"), styles_path("help.tcss")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark", "close", "Close", id="close-help"),
    ]

    def __init__(self, below: Screen[Any], title: str) -> None:
        super().__init__()
        self.rows = key_rows(below)
        self.title_text = title

    def compose(self) -> ComposeResult:
        """The stage's keys, then the meeting's, in a box that scrolls."""
        with Vertical(classes="dialog help"):
            yield Static(Text(f"Keys: {self.title_text}"), classes="dialog-title")
            with VerticalScroll(id="help-keys"):
                yield Static(_table(self.rows), id="help-table")
            yield Static(Text("↑↓ scroll · Esc closes"), classes="help-hint")

    def on_mount(self) -> None:
        """The list scrolls with the arrow keys."""
        self.set_focus(self.query_one("#help-keys"))

    def action_close(self) -> None:
        """Back to the stage."""
        self.dismiss(None)
