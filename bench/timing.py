"""Timing one user action in a headless app: from the act to the first frame that shows it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.app import App

TIMEOUT = 10.0


async def timed(app: App[Any], act: Callable[[], object], done: Callable[[], bool]) -> float:
    """Milliseconds from `act` to the first frame handed to the terminal once `done()` holds.

    The frame is caught where Textual hands it to the driver (`App._display`). Waiting instead
    for "the refresh after `done()` was seen" missed a frame drawn before this coroutine got
    its turn and counted the one after, a whole frame (16.7 ms) later.
    """
    frame: asyncio.Future[float] = asyncio.get_running_loop().create_future()
    display = app._display

    def shown(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None and done() and not frame.done():
            frame.set_result(time.perf_counter())

    app._display = shown  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        act()
        return (await asyncio.wait_for(frame, TIMEOUT) - start) * 1000
    finally:
        del app._display  # back to the class's method
