"""Opening a link: in the browser of the seat that asked, and copied, whatever happens.

A terminal seat may be on a machine with a desktop (the system's opener shows the page) or on
a server over SSH (nothing can be shown there, and Python's `webbrowser` would start a text
browser inside our own terminal). So the link is always copied (the terminal puts it on the
clipboard of the machine the user sits at) and opened only where a browser can show it: the
browser seat's own page, or the desktop's opener.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App


def _system_opener() -> list[str] | None:
    """The desktop's command that opens a link in its browser, where there is a desktop."""
    if sys.platform == "darwin":
        return ["open"]
    if sys.platform == "win32":
        return ["explorer"]
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return None  # a server, or over SSH: nothing here could show the page
    found = shutil.which("xdg-open")
    return [found] if found else None


def open_link(app: App[object], url: str) -> str:
    """Copy `url` and open it where this seat can show it; gives what happened, to tell."""
    app.copy_to_clipboard(url)
    if app.is_web:
        app.open_url(url)
        return "Opened in a new tab (and copied)"
    opener = _system_opener()
    if opener is None:
        return "Copied (no browser on this machine: paste it into yours)"
    try:
        # Its own session and no terminal: the browser neither draws on our screen nor dies
        # with the app.
        subprocess.Popen(
            [*opener, url],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        return f"Copied (the system's opener failed: {exc.strerror or exc})"
    return "Opened in the browser (and copied)"
