"""Export the session from the TUI: which formats, where, which layout, public or not; the
files are written in a worker and the dialog lists where they went."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static

from debrief_tui.core.errors import Refusal
from debrief_tui.core.export import FORMATS, LAYOUTS, ExportOptions, export_files
from debrief_tui.core.text import counted
from debrief_tui.ui.dialogs.form import FormDialog, enter_bindings, form_hint
from debrief_tui.ui.literal import literal
from debrief_tui.ui.tones import ERROR, WARNING, tone
from debrief_tui.ui.widgets.safe_input import SafeInput
from debrief_tui.ui.widgets.tick_box import TickBox

if TYPE_CHECKING:
    from debrief_tui.core.export import ExportSource
    from debrief_tui.core.persistence import Gateway

_LABELS = {
    "md": "Postmortem (Markdown)",
    "html": "Postmortem (HTML page)",
    "minutes": "Minutes",
    "json": "Everything (JSON)",
    "csv": "Actions (CSV)",
    "gh": "Actions (gh script)",
    "ics": "Calendar (ics)",
}


class ExportDialog(FormDialog[list[Path]]):
    """Dismisses with the files written (after showing them), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Export", id="save"),
        Binding("escape", "cancel", "Close", id="cancel"),
        *enter_bindings("Export"),
    ]

    def __init__(self, gateway: Gateway, session_id: int, folder: Path, agenda: str | None) -> None:
        super().__init__()
        self.gateway = gateway
        self.session_id = session_id
        self.folder = folder
        self.agenda = agenda
        self.written: list[Path] = []

    def compose(self) -> ComposeResult:
        """Folder, formats, layout, public and replace; a message area."""
        with Vertical(classes="dialog form", id="export-form"):
            yield Static("Export this session", classes="dialog-title")
            yield Label("Folder")
            yield SafeInput(str(self.folder), id="export-folder", compact=True)
            with Horizontal(classes="dialog-row", id="export-formats"):
                with Vertical(classes="dialog-cell"):
                    for fmt in FORMATS[:4]:
                        yield TickBox(_LABELS[fmt], True, id=f"export-{fmt}", compact=True)
                with Vertical(classes="dialog-cell"):
                    for fmt in FORMATS[4:]:
                        yield TickBox(_LABELS[fmt], True, id=f"export-{fmt}", compact=True)
            with Horizontal(classes="dialog-row"):
                with Vertical(classes="dialog-cell"):
                    yield Label("Layout of the postmortem")
                    yield Select(
                        [(name, name) for name in LAYOUTS],
                        value="debrief",
                        allow_blank=False,
                        id="export-layout",
                        compact=True,
                    )
                with Vertical(classes="dialog-cell"):
                    yield TickBox(
                        "Public: roles for names", False, id="export-public", compact=True
                    )
                    yield TickBox(
                        "Replace files that exist", False, id="export-force", compact=True
                    )
            yield Static(
                Text(form_hint("exports") + " · Space ticks a box", style="dim"),
                id="export-message",
            )
        yield Footer()

    def on_mount(self) -> None:
        """Start in the folder box."""
        self.set_focus(self.query_one("#export-folder", Input))

    async def action_save(self) -> None:
        """Write the chosen formats (in a worker: large sessions take a moment)."""
        formats = [f for f in FORMATS if self.query_one(f"#export-{f}", Checkbox).value]
        message = self.query_one("#export-message", Static)
        if not formats:
            message.update(Text("✗ choose at least one format", style=tone(self, ERROR)))
            return
        folder = Path(self.query_one("#export-folder", Input).value.strip() or ".").expanduser()
        options = ExportOptions(
            layout=str(self.query_one("#export-layout", Select).value),
            public=self.query_one("#export-public", Checkbox).value,
            agenda=self.agenda,
        )
        force = self.query_one("#export-force", Checkbox).value
        message.update(Text("Writing…", style="dim"))
        session_id = self.session_id
        try:
            source = await self.gateway.read(lambda tx: tx.snapshots.export(session_id))
        except Refusal as exc:
            self._show_error(str(exc))
            return
        self._write(source, formats, folder, options, force)

    @work(thread=True, exclusive=True, group="export")
    def _write(
        self,
        source: ExportSource,
        formats: list[str],
        folder: Path,
        options: ExportOptions,
        force: bool,
    ) -> None:
        # Rendering and writing files is slow for a large session, and not database work:
        # a worker of its own, so the database thread stays free for the meeting.
        try:
            paths, warnings = export_files(source, formats, folder, options, force=force)
        except Refusal as exc:
            self.app.call_from_thread(self._show_error, str(exc))
            return
        self.app.call_from_thread(self._show_written, paths, warnings)

    def _show_error(self, text: str) -> None:
        self.query_one("#export-message", Static).update(
            Text("✗ ", style=tone(self, ERROR)) + literal(text)
        )

    def _show_written(self, paths: list[Path], warnings: list[str]) -> None:
        self.written = paths
        folder = paths[0].parent.resolve() if paths else Path()
        wrote = f"Wrote {counted(len(paths), 'file')} in "
        text = Text(wrote, style=tone(self, "bold $text-success"))
        text.append_text(literal(str(folder)))
        text.append(":\n")
        text.append_text(literal("  ".join(path.name for path in paths)))
        text.append("\n")
        if warnings:
            text.append(f"⚠ {counted(len(warnings), 'note')}: ", style=tone(self, WARNING))
            text.append_text(literal(warnings[0]))
            if len(warnings) > 1:
                text.append(f" (+{len(warnings) - 1} more)", style="dim")
        text.rstrip()
        self.query_one("#export-message", Static).update(text)
