"""`python -m debrief_tui` runs the debrief command line."""

from debrief_tui.launch import run

run()
