"""Where debrief leans on Textual (or the runtime) beyond its public API, in one place.

Each workaround says why it is here; `tests/test_compat.py` pins the behaviour it relies on, so
a Textual upgrade that changes it fails there, by name, rather than somewhere in a screen.
Textual is pinned to the minor version those tests pass on (`pyproject.toml`).
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Move everything alive now out of the garbage collector's generations.

    A stage with thousands of rows keeps them for as long as it is open; each full collection
    walked all of them and paused an edit by 100 ms or more. Frozen objects are never
    collected, so this is called once, after a stage's first large load.
    """
    gc.freeze()
