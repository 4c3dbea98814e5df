"""Lessons: what went well, what went wrong, where we got lucky; in blameless words."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from debrief_tui.core.reference import LESSON_KINDS
from debrief_tui.core.wording import check_wording
from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal
from debrief_tui.ui.screens.grouped_rows import GroupedRowsScreen, RowKind
from debrief_tui.ui.tones import WARNING, tone
from debrief_tui.ui.widgets.fitted_table import FittedTable, widest

if TYPE_CHECKING:
    from debrief_tui.core.persistence import Job, Lesson
    from debrief_tui.ui.dialogs.choice_text import ChoiceTextDialog
    from debrief_tui.ui.dialogs.form import SaveHook


class LessonTable(FittedTable):
    """The three lists in one table; these keys apply while it has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_row", "Add", id="add-lesson"),
        Binding("enter,e", "screen.edit_row", "Edit", id="edit-lesson"),
        Binding("c", "screen.next_group", "List ▶", id="lesson-list"),
        Binding("shift+up", "screen.move_lesson(-1)", "Move up", show=False),
        Binding("shift+down", "screen.move_lesson(1)", "Move down", show=False),
        Binding("d,delete", "screen.delete_row", "Delete", id="delete-lesson"),
        Binding("u", "screen.undo", "Undo", id="undo-lesson"),
    ]


def _lesson_dialog(kind: str, text: str, save: SaveHook[tuple[str, str]]) -> ChoiceTextDialog:
    from debrief_tui.ui.dialogs.choice_text import lesson_dialog

    return lesson_dialog(kind, text, save)


class LessonsScreen(GroupedRowsScreen):
    """The lessons stage."""

    LIVE_KINDS: ClassVar[frozenset[str]] = frozenset({"lesson"})

    CSS_PATH = styles_path("lessons.tcss")
    row_kind: ClassVar[RowKind[Lesson]] = RowKind(
        noun="lesson",
        groups=lambda: LESSON_KINDS,
        group_of=lambda lesson: lesson.kind,
        text_of=lambda lesson: lesson.text,
        dialog=_lesson_dialog,
        add=lambda tx, session_id, kind, text: tx.lessons.add(session_id, kind, text),
        update=lambda tx, lesson_id, kind, text: tx.lessons.update(lesson_id, kind, text),
        delete=lambda tx, lesson_id: tx.lessons.delete(lesson_id),
    )

    def compose_content(self) -> ComposeResult:
        """Heading, table, the wording hint for the selected lesson."""
        with Vertical(id="lessons"):
            yield Static(id="lessons-title")
            yield LessonTable(
                (
                    ("List", "kind", widest("List", LESSON_KINDS)),
                    ("Lesson", "text", None),
                    ("", "mark", 1),
                ),
                id="lesson-table",
            )
            yield Static(id="lesson-hint")

    def main_widget(self) -> Widget:
        """The table."""
        return self.query_one(LessonTable)

    def prepare_content(self) -> None:
        """Nothing read yet."""
        super().prepare_content()
        self.query_one("#lessons-title", Static).update(Text("Opening…", style="dim"))

    def snapshot_job(self) -> tuple[Job[list[Lesson]], bool]:
        """The lessons, list by list."""
        session_id = self.context.session_id
        return (lambda tx: tx.snapshots.lessons(session_id)), False

    def show_snapshot(self, snapshot: list[Lesson], select: int | None) -> None:
        """Show the lessons."""
        self.rows = snapshot
        self._show(select)

    @on(FittedTable.Refit, "#lesson-table")
    def _refit(self) -> None:
        self._show()

    def _people(self) -> list[str]:
        return [name for name, _ in self.context.people]

    def _show(self, select: int | None = None) -> None:
        table = self.query_one(LessonTable)
        if select is None:
            current = self.selected_row()
            select = current.id if current else None
        table.fit_columns()
        previous = None
        for lesson in self.rows:
            heading = lesson.kind if lesson.kind != previous else ""
            previous = lesson.kind
            hits = check_wording(lesson.text, self._people())
            table.add_fitted(
                (
                    Text(heading, style="bold"),
                    literal(lesson.text),
                    Text("⚠", style=tone(self, WARNING)) if hits else Text(""),
                ),
                key=str(lesson.id),
            )
        self._select(select)
        counts = {kind: sum(1 for x in self.rows if x.kind == kind) for kind in LESSON_KINDS}
        title = Text("Lessons  ", style="bold")
        title.append(" · ".join(f"{n} {kind}" for kind, n in counts.items()), style="dim")
        if not self.rows:
            title.append("  · a adds the first", style="dim")
        self.query_one("#lessons-title", Static).update(title)
        self._show_hint()
        self.refresh_bindings()
        self.show_wanted()

    def _select(self, lesson_id: int | None) -> bool:
        index = next((i for i, x in enumerate(self.rows) if x.id == lesson_id), None)
        if index is None:
            return False
        self.query_one(LessonTable).move_cursor(row=index)
        return True

    def select_row(self, kind: str, row_id: int) -> bool:
        """Select a lesson asked for by id."""
        if kind != "lesson" or not self._select(row_id):
            return kind != "lesson"
        self.set_focus(self.query_one(LessonTable))
        return True

    @on(LessonTable.RowHighlighted, "#lesson-table")
    def _moved(self) -> None:
        self._show_hint()

    def _show_hint(self) -> None:
        lesson = self.selected_row()
        text = Text()
        hits = check_wording(lesson.text, self._people()) if lesson else []
        for hit in hits[:2]:
            if len(text):
                text.append("\n")
            text.append("⚠ ", style=tone(self, WARNING))
            text.append_text(literal(f"“{hit.phrase}”: {hit.suggestion}"))
        if not hits:
            text.append(
                "a adds · c moves it to the next list · shift+↑/↓ reorders · d deletes",
                style="dim",
            )
        self.query_one("#lesson-hint", Static).update(text)

    async def action_move_lesson(self, step: int) -> None:
        """Move the selected lesson up or down its list."""
        lesson = self.selected_row()
        if lesson is None or lesson.id is None:
            return
        lesson_id = lesson.id
        if await self.write(lambda tx: tx.lessons.move(lesson_id, step)):
            await self.reload(select=lesson_id)
