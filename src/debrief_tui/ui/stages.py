"""Which screen each stage of the agenda gets."""

from __future__ import annotations

import importlib

from debrief_tui.ui.meeting_context import MeetingContext
from debrief_tui.ui.screens.stage import StageScreen

# Stages with their own screen, by the key they have in the agenda: (module, class), imported
# on first visit so start-up does not pay for screens it does not show. The agenda's last
# stage (or the one keyed "wrap-up") gets the wrap-up screen; any other stage the plain one
# (prompts and minutes).
_STAGE_SCREENS = {
    "timeline": ("timeline", "TimelineScreen"),
    "whys": ("whys", "WhysScreen"),
    "factors": ("factors", "FactorsScreen"),
    "lessons": ("lessons", "LessonsScreen"),
    "actions": ("actions", "ActionsScreen"),
}
_WRAP_UP_SCREEN = ("wrap_up", "WrapUpScreen")


def stage_screen(context: MeetingContext, index: int) -> StageScreen:
    """A new screen for stage `index` of the meeting's agenda."""
    stages = context.meeting.agenda.stages
    keys = [stage.key for stage in stages]
    wrap = keys.index("wrap-up") if "wrap-up" in keys else len(stages) - 1
    spec = _WRAP_UP_SCREEN if index == wrap else _STAGE_SCREENS.get(stages[index].key)
    if spec is None:
        return StageScreen(context, index)
    module = importlib.import_module(f"debrief_tui.ui.screens.{spec[0]}")
    screen: StageScreen = getattr(module, spec[1])(context, index)
    return screen
