"""What the 5 Whys tree allows: answers of some length, and a problem statement that is the
question, not an answer."""

from __future__ import annotations

from debrief_tui.core.errors import InputError

MAX_ANSWER_CHARS = 2000


def answer_text(text: str) -> str:
    """An answer as stored (white space folded); InputError when empty or too long."""
    text = " ".join(text.split())
    if not text:
        raise InputError("an answer needs some text")
    if len(text) > MAX_ANSWER_CHARS:
        raise InputError(f"an answer is at most {MAX_ANSWER_CHARS:,} characters")
    return text


def check_root_cause(is_problem: bool, root_cause: bool) -> None:
    """The problem statement itself cannot be marked a root cause."""
    if is_problem and root_cause:
        raise InputError("the problem statement itself cannot be a root cause")


def check_deletable(is_problem: bool) -> None:
    """The problem statement stays: it is edited, never deleted."""
    if is_problem:
        raise InputError("the problem statement cannot be deleted; edit it instead")


def check_promotable(is_problem: bool) -> None:
    """Only answers are causes: the problem statement cannot become a factor."""
    if is_problem:
        raise InputError("the problem statement is not a cause: promote an answer below it")
