"""Go around the room: who has spoken in this stage, so the quiet ones can be invited; and who
spoke during the incident (the authors of the timeline's chat messages), so that those who
were there can be asked to tell it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import Static

from debrief_tui.ui.literal import literal
from debrief_tui.ui.tones import OK, WARNING, tone

_VOICES_SHOWN = 12


class RoomPanel(Static):
    """Attendees with a mark for each who has a minute attributed in the current stage."""

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
        if voices:  # first: the ones who were there, to invite to tell it
            text.append_text(self._voices(voices, {name for name, _ in people}, spoken))
        if not people:
            text.append("No attendees yet.\nAdd them in setup (f2).\n", style="dim")
        else:
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
        text.rstrip()
        self.update(text)

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
        text.append("\n")
        return text
