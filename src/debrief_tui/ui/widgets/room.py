"""Go around the room: who has spoken in this stage, so the quiet ones can be invited."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from debrief_tui.ui.literal import literal
from debrief_tui.ui.tones import OK, WARNING, tone


class RoomPanel(Static):
    """Attendees with a mark for each who has a minute attributed in the current stage."""

    def show_room(
        self,
        people: Sequence[tuple[str, str]],
        spoken: dict[str, int],
        seats: Sequence[tuple[str, str, bool]] = (),
    ) -> None:
        """Draw the list: people as (name, role), spoken as name -> minutes in this stage,
        seats as (role, name, this seat) connected to the meeting."""
        text = Text()
        if seats:
            text.append("Connected\n", style="bold")
            # The role first: seats of one person on one machine share a name.
            for role, name, mine in seats:
                text.append("● ", style=tone(self, OK))
                text.append(f"{role}{' (you)' if mine else ''}\n")
                text.append("  ")
                text.append_text(literal(name, "dim"))
                text.append("\n")
            text.append("\n")
        if not people:
            text.append("No attendees yet.\nAdd them in setup (f2).", style="dim")
            self.update(text)
            return
        quiet = [p for p in people if p[0] not in spoken]
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
