"""The meeting's own keys: on every stage, and priority keys, so they work while a minute is
being typed (the stage's own keys belong to its table or tree)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

MEETING_KEYS: list[BindingType] = [
    Binding("ctrl+n", "focus_minutes", "Minute", id="minute", priority=True),
    Binding(
        "f7",
        "step(-1)",
        "◀ Stage",
        id="prev-stage",
        priority=True,
        tooltip="Go to the previous agenda stage",
    ),
    Binding(
        "f8",
        "step(1)",
        "Stage ▶",
        id="next-stage",
        priority=True,
        tooltip="Go to the next agenda stage",
    ),
    # One key, three faces: the footer names what f5 will do now (the screen's check_action
    # hides the other two, and Textual then tries the next binding of the key).
    Binding(
        "f5",
        "start_clock",
        "Start",
        id="timer-start",
        priority=True,
        tooltip="Start the meeting's clock (moving to the next stage starts it too)",
    ),
    Binding(
        "f5",
        "toggle_timer",
        "Pause",
        id="timer",
        priority=True,
        tooltip="Pause the stage timer",
    ),
    Binding(
        "f5",
        "resume_timer",
        "Resume",
        id="timer-resume",
        priority=True,
        tooltip="Resume the stage timer",
    ),
    Binding(
        "f9",
        "park",
        "Park it",
        id="park",
        priority=True,
        tooltip="Send the current topic to the parking lot",
    ),
    Binding(
        "f4",
        "toggle_presenter",
        "Present",
        id="presenter",
        priority=True,
        tooltip="Switch between the presenter view and the working view",
    ),
    Binding(
        "f6",
        "toggle_room",
        "Room",
        id="room",
        priority=True,
        show=False,
        tooltip="Go around the room: who has spoken in this stage",
    ),
    Binding(
        "f2",
        "setup",
        "Setup",
        id="setup",
        priority=True,
        show=False,
        tooltip="Edit the incident facts and the attendees",
    ),
    Binding(
        "ctrl+e",
        "export",
        "Export",
        id="export",
        priority=True,
        show=False,
        tooltip="Write the postmortem, minutes, actions and calendar to files",
    ),
    Binding(
        "f3",
        "app.toggle_dark",
        "Light/dark",
        id="theme",
        priority=True,
        show=False,
        tooltip="Switch between the light and the dark theme",
    ),
]
