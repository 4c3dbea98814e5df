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

from debrief_tui.core.vocab import LESSON_KINDS
from debrief_tui.core.wording import check_wording
from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal
from debrief_tui.ui.screens.grouped_rows import GroupedRowsScreen
from debrief_tui.ui.widgets.fitted_table import FittedTable

if TYPE_CHECKING:
    from debrief_tui.core.models import Lesson
    from debrief_tui.core.store import Store
    from debrief_tui.ui.dialogs.choice_text import ChoiceTextDialog


class LessonTable(FittedTable):
    """The three lists in one table; these keys apply while it has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_row", "Add", id="add-lesson"),
        Binding("enter,e", "screen.edit_row", "Edit", id="edit-lesson"),
        Binding("c", "screen.next_group", "List ▶", id="lesson-list"),
        Binding("shift+up", "screen.move_lesson(-1)", "Move up", show=False),
        Binding("shift+down", "screen.move_lesson(1)", "Move down", show=False),
        Binding("d,delete", "screen.delete_row", "Delete", id="delete-lesson"),
        Binding("u", "screen.undo_row", "Undo", id="undo-lesson"),
    ]


class LessonsScreen(GroupedRowsScreen["Lesson"]):
    """The lessons stage."""

    CSS_PATH = styles_path("lessons.tcss")
    noun = "lesson"

    def compose_content(self) -> ComposeResult:
        """Heading, table, the wording hint for the selected lesson."""
        with Vertical(id="lessons"):
            yield Static(id="lessons-title")
            yield LessonTable(
                (("List", "kind", 11), ("Lesson", "text", None), ("", "mark", 1)),
                id="lesson-table",
            )
            yield Static(id="lesson-hint")

    def prepare_content(self) -> None:
        """Load the lessons."""
        self.lessons: list[Lesson] = []
        self._deleted_rows: list[Lesson] = []
        self._load()

    def refresh_view(self) -> None:
        """Also reload once the store is there (lessons change only here)."""
        super().refresh_view()
        if self.query(LessonTable) and not self.lessons:
            self._load()

    def main_widget(self) -> Widget:
        """The table."""
        return self.query_one(LessonTable)

    def _load(self, select: int | None = None) -> None:
        store = self.context.store
        if store is None:
            self.query_one("#lessons-title", Static).update(Text("Opening…", style="dim"))
            return
        self.lessons = store.list_lessons(self.context.session_id)
        self._show(select)

    @on(FittedTable.Refit, "#lesson-table")
    def _refit(self) -> None:
        self._show()

    def _people(self) -> list[str]:
        return [name for name, _ in self.context.people]

    def _show(self, select: int | None = None) -> None:
        table = self.query_one(LessonTable)
        if select is None:
            current = self._selected()
            select = current.id if current else None
        table.fit_columns()
        previous = None
        for lesson in self.lessons:
            heading = lesson.kind if lesson.kind != previous else ""
            previous = lesson.kind
            hits = check_wording(lesson.text, self._people())
            table.add_row(
                Text(heading, style="bold"),
                table.fitted(literal(lesson.text)),
                Text("⚠", style="bold #ffb000") if hits else Text(""),
                key=str(lesson.id),
            )
        self._select(select)
        counts = {kind: sum(1 for x in self.lessons if x.kind == kind) for kind in LESSON_KINDS}
        title = Text("Lessons  ", style="bold")
        title.append(" · ".join(f"{n} {kind}" for kind, n in counts.items()), style="dim")
        if not self.lessons:
            title.append("  · a adds the first", style="dim")
        self.query_one("#lessons-title", Static).update(title)
        self._show_hint()
        self.refresh_bindings()
        self.show_wanted()

    def _select(self, lesson_id: int | None) -> bool:
        index = next((i for i, x in enumerate(self.lessons) if x.id == lesson_id), None)
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
        lesson = self._selected()
        text = Text()
        hits = check_wording(lesson.text, self._people()) if lesson else []
        for hit in hits[:2]:
            if len(text):
                text.append("\n")
            text.append("⚠ ", style="bold #ffb000")
            text.append_text(literal(f"“{hit.phrase}”: {hit.suggestion}"))
        if not hits:
            text.append(
                "a adds · c moves it to the next list · shift+↑/↓ reorders · d deletes",
                style="dim",
            )
        self.query_one("#lesson-hint", Static).update(text)

    # What the shared flow needs -----------------------------------------------------------

    def group_keys(self) -> tuple[str, ...]:
        """The three lists."""
        return LESSON_KINDS

    def group_of(self, row: Lesson) -> str:
        """The list a lesson is in."""
        return row.kind

    def text_of(self, row: Lesson) -> str:
        """What the lesson says."""
        return row.text

    def row_dialog(self, group: str, text: str) -> ChoiceTextDialog:
        """Ask for a lesson's list and text."""
        from debrief_tui.ui.dialogs.choice_text import lesson_dialog

        return lesson_dialog(group, text)

    def store_add(self, store: Store, group: str, text: str) -> Lesson:
        """Save a new lesson."""
        return store.add_lesson(self.context.session_id, group, text)

    def store_update(self, store: Store, row_id: int, group: str, text: str) -> Lesson:
        """Save a changed lesson."""
        return store.update_lesson(row_id, group, text)

    def store_delete(self, store: Store, row_id: int) -> Lesson:
        """Delete a lesson, kept for undo."""
        return store.delete_lesson(row_id)

    def store_restore(self, store: Store, saved: Lesson) -> Lesson:
        """Bring a lesson back where it was."""
        return store.restore_lesson(saved)

    def load_rows(self, select: int | None = None) -> None:
        """Read and show the lessons."""
        self._load(select)

    def selected_row(self) -> Lesson | None:
        """The lesson under the cursor."""
        return self._selected()

    def _selected(self) -> Lesson | None:
        table = self.query_one(LessonTable)
        if not self.lessons or not 0 <= table.cursor_row < len(self.lessons):
            return None
        return self.lessons[table.cursor_row]

    def action_move_lesson(self, step: int) -> None:
        """Move the selected lesson up or down its list."""
        lesson, store = self._selected(), self.context.store
        if lesson is None or lesson.id is None or store is None:
            return
        if store.move_lesson(lesson.id, step):
            self._load(select=lesson.id)
