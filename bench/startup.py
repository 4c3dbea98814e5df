"""Start-up: process start to the first frame that shows the session, against a bare Textual app.

Both run in a pseudo-terminal; the clock stops when the expected text first reaches the
terminal, which is what a person would see.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("FLOOR-READY")
Bare().run()
"""


def time_to_text(
    argv: list[str], needles: tuple[bytes, ...], env: dict[str, str], timeout: float = 30
) -> float:
    """Seconds from spawning `argv` in an 80x24 pty until every needle has been drawn."""
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    env = {**env, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
                if all(needle in seen for needle in needles):
                    return time.perf_counter() - start
        raise RuntimeError(f"{needles!r} never appeared; last output: {seen[-300:]!r}")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        os.close(master)


def compile_package() -> None:
    """Write debrief's bytecode, as `pip install` does, so both apps start from .pyc files.

    Textual's bytecode was written when it was installed; an editable install (or a shell
    with PYTHONDONTWRITEBYTECODE set) would otherwise recompile debrief on every start and
    measure the compiler rather than the app.
    """
    import compileall

    import debrief_tui

    compileall.compile_dir(Path(debrief_tui.__file__).parent, quiet=1)


def measure(runs: int, workdir: Path) -> tuple[list[float], list[float]]:
    """Interleaved runs of the bare app and `debrief open ID` on the demo incident."""
    compile_package()
    env = {**os.environ, "DEBRIEF_DB": str(workdir / "bench.db")}
    made = subprocess.run(
        [sys.executable, "-m", "debrief_tui", "demo", "--no-open"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    session_id = made.stdout.strip()
    bare_file = workdir / "bare_app.py"
    bare_file.write_text(BARE_APP)
    bare: list[float] = []
    ours: list[float] = []
    for _ in range(runs):
        bare.append(time_to_text([sys.executable, str(bare_file)], (b"FLOOR-READY",), env))
        # The first frame that shows the session: its title and its current stage.
        ours.append(
            time_to_text(
                [str(Path(sys.executable).parent / "debrief"), "open", session_id],
                (b"Checkout failed", b"Ground rules"),
                env,
            )
        )
    return bare, ours
