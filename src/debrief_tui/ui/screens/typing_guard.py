"""A sentence typed into a list goes to the minutes, never a string of commands.

One seat often both drives the stage and takes the minutes, so a line such as
"Hannah: status page was late" is sometimes typed while the timeline table, not the minutes
box, has the focus. Bound to the table, its letters would be commands: `a` opens "Add event",
`d` deletes, `1`-`7` set milestones.

What was chosen, and why (issue 17):

- A printable key that nothing on the stage is bound to (a capital letter, most letters, a
  space, punctuation) does nothing there, so it can only be the start of a minute: it goes to
  the minutes box at once, focus with it. "Hannah: ..." never touches the table.
- A printable key that is a command (`a`, `d`, `u`, `k`, a digit, ...) is held for a moment
  (`BURST`, 0.2 s) before it runs. If the next key follows at typing speed and is one that no
  command uses, the held keys were the first letters of a sentence: they go to the box, first
  letter recovered, in order, and none of them ran ("a rollback was started" gives the minute,
  not an "Add event" dialog). If every key of the burst is a command (`k` then `~`, `d` then
  `u`) or the keyboard goes quiet, the held keys run as commands, in the order pressed.
  Any other key (an arrow, Enter, an f-key) runs what is held first.
- Why not only the first rule: many sentences start with a lower-case letter that is bound.
  Why not undo what a first letter did: `d` deletes and `a` opens a dialog that would swallow
  the rest of the line; not running it is simpler and certain. The cost is 0.2 s before a
  single-letter command acts, below what a person pressing one key and watching notices
  much, and nothing for the keys that matter while typing (Enter, the f-keys are never held).
- Nothing is held while a box has the focus, and a note-taker's seat keeps the focus in the
  minutes box anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from time import monotonic
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.dom import DOMNode

BURST = 0.2
"""Seconds between two keys that still count as typing."""


@dataclass
class Held:
    """A printable key that is a command, held until it is known not to start a sentence."""

    character: str
    action: str
    namespace: DOMNode


@dataclass
class KeyBurst:
    """The keys held now and when the last one came."""

    held: list[Held] = field(default_factory=list)
    last: float = 0.0

    def hold(self, key: Held) -> None:
        """Hold one more command key (after a pause the held ones have run: it starts anew)."""
        self.last = monotonic()
        self.held.append(key)

    def quiet_for(self) -> float:
        """How long to wait before the held keys can run as commands (0: now)."""
        return max(0.0, self.last + BURST - monotonic())

    def take(self) -> list[Held]:
        """The held keys, in order, no longer held."""
        held, self.held = self.held, []
        return held

    def text(self) -> str:
        """The held keys as typed text (they were the start of a sentence)."""
        return "".join(key.character for key in self.take())
