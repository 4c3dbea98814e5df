"""`debrief serve`, run the way a user runs it: the page, the access token, a seat over the
websocket, bad input, Ctrl+C, and the page in a real browser (headless Chromium)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from debrief_tui.cli import main

TITLE = "Payments API timed out"
"""The session in the served database: the session list shows its title."""

# Escape sequences the app writes around its text (CSI, OSC, charset and keypad switches).
ANSI = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])"
)


def _env() -> dict[str, str]:
    """The environment for a served process: the database only through --db."""
    env = dict(os.environ)
    env.pop("DEBRIEF_DB", None)
    return env


def _new_database(path: Path) -> Path:
    """A database file with one session, made through the command line."""
    assert main(["--db", str(path), "new", "--title", TITLE, "--severity", "SEV2"]) == 0
    return path


class Served:
    """A `debrief serve` process on a free port, in its own process group (as a terminal
    would run it, so that Ctrl+C reaches the server and its seats alike)."""

    def __init__(self, db: str, host: str = "127.0.0.1", cwd: Path | None = None) -> None:
        command = ["serve", "--host", host, "--port", "0"]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "debrief_tui", "--db", db, *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            cwd=cwd,
            env=_env(),
        )

    def ready(self) -> Served:
        """Wait for the one line with the URL (the port is bound when it is printed)."""
        assert self.proc.stdout is not None
        readable, _, _ = select.select([self.proc.stdout], [], [], 20)
        line = self.proc.stdout.readline() if readable else ""
        if not line:
            self.proc.kill()
            pytest.fail(f"debrief serve printed no URL: {self.proc.communicate()[1]}")
        self.url = line.strip()
        parts = urlsplit(self.url)
        assert parts.port is not None
        self.port = parts.port
        self.token = parse_qs(parts.query).get("token", [None])[0]
        self.base = f"http://127.0.0.1:{self.port}"
        return self

    def stop(self) -> tuple[int, str, str]:
        """Ctrl+C, as the terminal sends it: to the whole process group."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
        out, err = self.proc.communicate(timeout=15)
        return self.proc.returncode, out, err


class Servers(NamedTuple):
    local: Served
    """On loopback, the default: no token."""
    open: Served
    """On every address (0.0.0.0): the token is required."""
    doomed: Served
    """On loopback with a relative --db, for the test that stops it with Ctrl+C."""


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """The servers on one database, started side by side (each takes a second to start)."""
    folder = tmp_path_factory.mktemp("serve")
    db = str(_new_database(folder / "served.db"))
    # Relative: serve resolves it (in its own directory) before handing it to the seats.
    started = Servers(Served(db), Served(db, host="0.0.0.0"), Served("served.db", cwd=folder))
    try:
        yield Servers(*(served.ready() for served in started))
    finally:
        for served in started:
            served.stop()


def _cookies() -> aiohttp.CookieJar:
    # unsafe: the servers are reached by IP address, and aiohttp keeps no cookie for an IP
    # otherwise (a browser does).
    return aiohttp.CookieJar(unsafe=True)


async def _seat_screen(ws: aiohttp.ClientWebSocketResponse, timeout: float = 15) -> str:
    """What the seat draws, escape sequences removed, once it shows the session's title."""
    data = b""
    async with asyncio.timeout(timeout):
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                data += message.data
                text = ANSI.sub(b"", data).decode("utf-8", "replace")
                if TITLE in text:
                    return text
    raise AssertionError(f"the seat closed before showing {TITLE!r}: {data[-500:]!r}")


async def _open_seat(
    session: aiohttp.ClientSession, served: Served
) -> aiohttp.ClientWebSocketResponse:
    """Open a seat as the page does: the websocket with the terminal's size, then a resize."""
    ws = await session.ws_connect(f"ws://127.0.0.1:{served.port}/ws?width=120&height=30")
    await ws.send_json(["resize", {"width": 120, "height": 30}])
    return ws


async def test_loopback_serves_the_page_without_a_token(servers: Servers) -> None:
    served = servers.local
    assert re.fullmatch(rf"http://127\.0\.0\.1:{served.port}/", served.url)
    async with aiohttp.ClientSession() as session:
        async with session.get(served.base + "/") as page:
            assert page.status == 200
            html = await page.text()
        assert 'class="textual-terminal"' in html
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in html
        async with session.get(served.base + "/static/js/textual.js") as script:
            assert script.status == 200
        # A page on another site whose name was pointed at 127.0.0.1 (DNS rebinding).
        async with session.get(served.base + "/", headers={"Host": "evil.example"}) as page:
            assert page.status == 403


async def test_another_host_needs_the_token_for_everything(servers: Servers) -> None:
    served = servers.open
    assert served.token is not None
    assert len(served.token) >= 40
    assert served.url.endswith(f":{served.port}/?token={served.token}")
    async with aiohttp.ClientSession(cookie_jar=_cookies()) as session:
        for path in ("/", "/?token=" + "x" * len(served.token), "/static/js/textual.js"):
            async with session.get(served.base + path) as response:
                assert response.status == 403, path
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(f"ws://127.0.0.1:{served.port}/ws")
        assert refused.value.status == 403

        async with session.get(f"{served.base}/?token={served.token}") as page:
            assert page.status == 200
            assert f'"ws://127.0.0.1:{served.port}/ws"' in await page.text()
            cookie = page.cookies[f"debrief-token-{served.port}"]
            assert cookie["httponly"]
            assert cookie["samesite"] == "Strict"
        # The page's assets and its websocket carry the token in the cookie.
        async with session.get(served.base + "/static/js/textual.js") as script:
            assert script.status == 200
        # Another site's page, even in a browser holding the cookie, opens no seat.
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(
                f"ws://127.0.0.1:{served.port}/ws", origin="http://evil.example"
            )
        assert refused.value.status == 403


async def test_a_websocket_session_is_a_seat_on_the_session_list(servers: Servers) -> None:
    served = servers.open
    async with aiohttp.ClientSession(cookie_jar=_cookies()) as session:
        async with session.get(f"{served.base}/?token={served.token}") as page:
            assert page.status == 200
        ws = await _open_seat(session, served)
        screen = await _seat_screen(ws)
        await ws.close()
    assert "SEV2" in screen


async def test_a_seat_stays_open_after_the_first_tick(servers: Servers) -> None:
    served = servers.local
    async with aiohttp.ClientSession() as session:
        ws = await _open_seat(session, served)
        await _seat_screen(ws)
        until = time.monotonic() + 2.5  # the app ticks every second
        while (left := until - time.monotonic()) > 0:
            try:
                message = await ws.receive(timeout=left)
            except TimeoutError:
                break
            assert message.type == aiohttp.WSMsgType.BINARY, "the seat quit by itself"
        await ws.close()


async def test_ctrl_c_stops_the_server_and_its_seats(servers: Servers) -> None:
    served = servers.doomed
    async with aiohttp.ClientSession() as session:
        ws = await _open_seat(session, served)
        await _seat_screen(ws)
        # The client keeps reading meanwhile, to answer the server's closing handshake.
        stopping = asyncio.create_task(asyncio.to_thread(served.stop))
        async with asyncio.timeout(10):
            async for _ in ws:
                pass
            code, out, err = await stopping
        assert ws.closed
    assert (code, out, err) == (0, "", "")  # nothing after the URL: no traceback, no noise
    deadline = time.monotonic() + 5
    while _group_alive(served.proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _group_alive(served.proc.pid), "a seat outlived the server"


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def test_bad_input_is_one_line_and_exit_status_2(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "x.db")]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        cases = {
            "is not a host name or an IP address": [*db, "serve", "--host", "bad host!"],
            "Invalid value for '--port'": [*db, "serve", "--port", "70000"],
            "an in-memory database cannot be shared": ["--db", "sqlite://", "serve"],
            f"port {port} is in use on 127.0.0.1": [*db, "serve", "--port", port],
        }
        # Side by side: each spends most of its time importing.
        running = {
            message: subprocess.Popen(
                [sys.executable, "-m", "debrief_tui", *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=_env(),
            )
            for message, args in cases.items()
        }
        done = {message: (proc, *proc.communicate(timeout=20)) for message, proc in running.items()}
    for message, (proc, out, err) in done.items():
        assert (proc.returncode, out) == (2, ""), err
        assert err.startswith("debrief: "), err
        assert err.count("\n") == 1, err
        assert message in err


def test_the_tui_never_loads_the_server() -> None:
    code = (
        "import sys, debrief_tui.launch, debrief_tui.cli, debrief_tui.startup, debrief_tui.ui.app; "
        "print(' '.join(sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in done.stdout.split()}
    assert not loaded & {"aiohttp", "textual_serve", "aiohttp_jinja2"}
    assert "debrief_tui.serve" not in done.stdout.split()


# textual.js keeps its xterm.js Terminal in a closure, as `this.terminal` of the page's terminal
# object, and draws on a canvas: the text is in no DOM node. An accessor on Object.prototype
# catches that assignment (and steps aside with an ordinary property), then the terminal's rows
# are copied out after every write it parses.
CATCH_TERMINAL = """
(() => {
  const copyRows = (term) => term.onWriteParsed(() => {
    const buffer = term.buffer.active;
    const rows = [];
    for (let y = 0; y < buffer.length; y++) {
      const line = buffer.getLine(y);
      rows.push(line ? line.translateToString(true) : "");
    }
    const text = rows.join("\\n");
    if (text.trim()) window.__debriefScreen = text;
  });
  Object.defineProperty(Object.prototype, "terminal", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "terminal", {
        value, writable: true, configurable: true, enumerable: true,
      });
      if (value && typeof value.onWriteParsed === "function") copyRows(value);
    },
  });
})();
"""


def _chromium() -> str:
    """Chromium's path; skip without it, except in CI, where the browser test must run."""
    path = shutil.which("chromium") or shutil.which("/usr/bin/chromium")
    if path is not None:
        return path
    if os.environ.get("CI"):
        pytest.fail("chromium is missing: .ci/run installs Debian's chromium package")
    pytest.skip("chromium is not installed (Debian: apt-get install chromium)")


class DevTools:
    """The smallest client of the Chrome DevTools protocol: call a method, get its result."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.last = 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.last += 1
        await self.ws.send_json({"id": self.last, "method": method, "params": params})
        async for message in self.ws:
            answer = json.loads(message.data)
            if answer.get("id") == self.last:  # events and other answers are not ours
                assert "error" not in answer, answer
                result: dict[str, Any] = answer["result"]
                return result
        raise AssertionError("the browser closed the DevTools connection")


async def _devtools_page(profile: Path, session: aiohttp.ClientSession) -> str:
    """The DevTools websocket of the browser's page, once the browser is listening."""
    port_file = profile / "DevToolsActivePort"
    async with asyncio.timeout(15):
        while not port_file.exists() or not port_file.read_text().strip():
            await asyncio.sleep(0.05)
        port = port_file.read_text().split()[0]
        while True:
            async with session.get(f"http://127.0.0.1:{port}/json/list") as listing:
                pages = [t for t in await listing.json() if t["type"] == "page"]
            if pages:
                return str(pages[0]["webSocketDebuggerUrl"])
            await asyncio.sleep(0.05)


async def test_a_browser_shows_the_session_list(servers: Servers, tmp_path: Path) -> None:
    chromium = _chromium()
    served = servers.open  # with the token: the browser must carry it to the websocket
    profile = tmp_path / "chromium"
    browser = subprocess.Popen(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "--window-size=1280,800",
            # The page links a web font: no request leaves the machine, none waits on a network.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    screen = ""
    try:
        async with aiohttp.ClientSession() as session:
            page = await _devtools_page(profile, session)
            async with session.ws_connect(page, max_msg_size=0) as ws:
                devtools = DevTools(ws)
                await devtools.call("Page.enable")  # else the script below is not run
                await devtools.call("Page.addScriptToEvaluateOnNewDocument", source=CATCH_TERMINAL)
                await devtools.call("Page.navigate", url=f"{served.base}/?token={served.token}")
                deadline = time.monotonic() + 20
                while TITLE not in screen and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                    found = await devtools.call(
                        "Runtime.evaluate",
                        expression="window.__debriefScreen || ''",
                        returnByValue=True,
                    )
                    screen = found["result"]["value"]
    finally:
        os.killpg(browser.pid, signal.SIGTERM)
        try:
            browser.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(browser.pid, signal.SIGKILL)
            browser.wait()
    assert TITLE in screen, f"the browser's terminal shows:\n{screen}"
