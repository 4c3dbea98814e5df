"""Timing one user action in a headless app: from the act to the refresh that shows it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.app import App


async def timed(app: App[Any], act: Callable[[], object], done: Callable[[], bool]) -> float:
    """Milliseconds from `act` to the first refresh after `done()` holds."""
    refreshed = asyncio.get_running_loop().create_future()
    start = time.perf_counter()
    act()
    while not done():
        await asyncio.sleep(0)

    def shown() -> None:
        if not refreshed.done():
            refreshed.set_result(None)

    app.screen.call_after_refresh(shown)
    await refreshed
    return (time.perf_counter() - start) * 1000
