"""Go around the room: who has spoken in this stage, so the quiet ones can be invited; and who
spoke during the incident (the authors of the timeline's chat messages), so that those who
were there can be asked to tell it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from debrief_tui.ui.literal import literal
from debrief_tui.ui.tones import OK, WARNING, tone

_VOICES_SHOWN = 12


class RoomPanel(Static):
    """Attendees with a mark for each who has a minute attributed in the current stage.

    It sits beside the minutes, which are only a few rows tall in a small terminal: while it
    is shown it marks them `-room-open` (a stage's stylesheet gives them more rows then), and
    when its lines still do not fit it drops the blank lines and the roles, so that the names
    come into view. Names wrap; none is cut."""

    DEFAULT_CSS = """
    RoomPanel {
        height: 100%;
    }
    """
    """As tall as the minutes beside it, whatever its text: it scrolls rather than stretch
    them."""

    _drawn: tuple[
        Sequence[tuple[str, str]],
        dict[str, int],
        Sequence[tuple[str, str, bool]],
        Mapping[str, int] | None,
    ] = ((), {}, (), None)
    """What `show_room` last drew, to draw again at another size."""

    def on_show(self) -> None:
        """Ask the minutes beside it for more rows."""
        if self.parent is not None:
            self.parent.add_class("-room-open")

    def on_hide(self) -> None:
        """Give the rows back."""
        if self.parent is not None:
            self.parent.remove_class("-room-open")

    def on_resize(self) -> None:
        """Draw again: whether the full list fits depends on the height."""
        if self._drawn[0] or self._drawn[2]:
            self.show_room(*self._drawn)

    def show_room(
        self,
        people: Sequence[tuple[str, str]],
        spoken: dict[str, int],
        seats: Sequence[tuple[str, str, bool]] = (),
        voices: Mapping[str, int] | None = None,
    ) -> None:
        """Draw the list: people as (name, role), spoken as name -> minutes in this stage,
        seats as (role, name, this seat) connected to the meeting, voices as author -> events
        of theirs in the timeline."""
        self._drawn = (people, spoken, seats, voices)
        text = self._room(people, spoken, seats, voices, compact=False)
        # The panel is as tall as the minutes beside it (its parent), not as its own text.
        rows = self.container_size.height
        if rows and self._lines(text) > rows:
            text = self._room(people, spoken, seats, voices, compact=True)
        self.update(text)

    def _lines(self, text: Text) -> int:
        """How many rows `text` takes at the panel's width."""
        return sum(
            max(1, -(-cell_len(line) // max(1, self.content_size.width)))
            for line in text.plain.split("\n")
        )

    def _room(
        self,
        people: Sequence[tuple[str, str]],
        spoken: dict[str, int],
        seats: Sequence[tuple[str, str, bool]],
        voices: Mapping[str, int] | None,
        *,
        compact: bool,
    ) -> Text:
        """The panel's text; `compact` puts a seat on one line and leaves out the roles, the
        "Around the room" heading and the blank lines between the parts."""
        gap = "" if compact else "\n"
        text = Text()
        if seats:
            text.append("Connected\n", style="bold")
            # The role first: seats of one person on one machine share a name.
            for role, name, mine in seats:
                text.append("● ", style=tone(self, OK))
                text.append(f"{role}{' (you)' if mine else ''}")
                text.append(" " if compact else "\n  ")
                text.append_text(literal(name, "dim"))
                text.append("\n")
            text.append(gap)
        if voices:  # first: the ones who were there, to invite to tell it
            text.append_text(self._voices(voices, {name for name, _ in people}, spoken))
            text.append(gap)
        if not people:
            text.append("No attendees yet.\nAdd them in setup (f2).\n", style="dim")
        else:
            quiet = [p for p in people if p[0] not in spoken]
            if not compact:  # the count below says as much
                text.append("Around the room\n", style="bold")
            text.append(
                f"{len(people) - len(quiet)} of {len(people)} heard in this stage\n{gap}",
                style="dim",
            )
            for name, role in sorted(people, key=lambda p: (p[0] in spoken, p[0].casefold())):
                heard = spoken.get(name, 0)
                text.append("✓ " if heard else "· ", style=tone(self, OK if heard else WARNING))
                text.append_text(literal(name, "" if heard else "bold"))
                text.append(f" ({heard})" if heard else "", style="dim")
                text.append("\n" if compact else f"\n  {role}\n", style="dim")
        text.rstrip()
        return text

    def _voices(self, voices: Mapping[str, int], present: set[str], spoken: dict[str, int]) -> Text:
        """Who wrote in the incident channel, most first: an attendee not yet heard in this
        stage is the one to invite; someone who is not an attendee is marked so."""
        text = Text("Spoke during the incident\n", style="bold")
        ordered = sorted(voices.items(), key=lambda item: (-item[1], item[0].casefold()))
        for name, count in ordered[:_VOICES_SHOWN]:
            if name not in present:
                text.append("○ ", style="dim")
                text.append_text(literal(name, "dim"))
                text.append(f" ({count})\n  not an attendee\n", style="dim")
                continue
            heard = name in spoken
            text.append("✓ " if heard else "· ", style=tone(self, OK if heard else WARNING))
            text.append_text(literal(name, "" if heard else "bold"))
            text.append(f" ({count})\n", style="dim")
            if not heard:
                text.append("  invite to speak\n", style=tone(self, WARNING))
        if len(ordered) > _VOICES_SHOWN:
            text.append(f"… and {len(ordered) - _VOICES_SHOWN} more\n", style="dim")
        return text
