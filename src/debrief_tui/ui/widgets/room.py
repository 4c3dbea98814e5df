"""Go around the room: who has spoken in this stage, so the quiet ones can be invited."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from debrief_tui.ui.literal import literal
from debrief_tui.ui.tones import OK, WARNING, tone


class RoomPanel(Static):
    """Attendees with a mark for each who has a minute attributed in the current stage."""

    def show_room(self, people: Sequence[tuple[str, str]], spoken: dict[str, int]) -> None:
        """Draw the list: people as (name, role), spoken as name -> minutes in this stage."""
        if not people:
            self.update(Text("No attendees yet.\nAdd them in setup (f2).", style="dim"))
            return
        quiet = [p for p in people if p[0] not in spoken]
        text = Text()
        text.append("Around the room\n", style="bold")
        text.append(
            f"{len(people) - len(quiet)} of {len(people)} heard in this stage\n\n", style="dim"
        )
        for name, role in sorted(people, key=lambda p: (p[0] in spoken, p[0].casefold())):
            heard = spoken.get(name, 0)
            text.append("✓ " if heard else "· ", style=tone(self, OK if heard else WARNING))
            text.append_text(literal(name, "" if heard else "bold"))
            text.append(f" ({heard})" if heard else "", style="dim")
            text.append(f"\n  {role}\n", style="dim")
        self.update(text)
