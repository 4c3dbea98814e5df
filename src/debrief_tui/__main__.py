"""`python -m debrief_tui` runs the debrief command line."""

import sys

from debrief_tui.cli import main

sys.exit(main())
