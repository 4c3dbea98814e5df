"""debrief: run an incident postmortem meeting from the terminal."""

__version__ = "0.1.0"
