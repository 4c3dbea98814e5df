"""`debrief serve`: the app in a browser, through textual-serve.

Each browser tab gets a full seat: textual-serve runs one command per websocket session, and
that command is the normal `debrief` on the session list, against the database `serve` was
given, exactly like a second terminal on the same file. Bound to loopback by default; on any
other address every request needs the access token printed in the URL.

Only the `serve` command imports this module (from inside its function), so aiohttp and
textual-serve never load for the TUI. The seats start through the normal launcher and never
import this module either.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from debrief_tui.startup import EXIT_REFUSED, database_for, fail

TOKEN_PARAMETER = "token"

# A seat that is still running when serve stops gets this long to save and quit.
SEAT_QUIT_SECONDS = 5.0

_HOST_NAME = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address) only reaches this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str) -> None:
    """Refuse (CliError) a host that is neither an IP address nor a well-formed name."""
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host)
        return
    # Checked before binding: getaddrinfo would send any string to DNS and make a typo slow.
    if len(host) > 253 or not _HOST_NAME.fullmatch(host):
        fail(f"--host {host!r} is not a host name or an IP address", EXIT_REFUSED)


def seat_command(agenda: str | None) -> str:
    """The shell command textual-serve runs for each browser tab: debrief on the session list.

    The database travels in DEBRIEF_DB (set by `serve`), not on the command line, where any
    local user could read a PostgreSQL password with `ps`.
    """
    argv = [sys.executable, "-m", "debrief_tui"]
    if agenda is not None:
        argv += ["--agenda", agenda]
    if os.name != "posix":
        return subprocess.list2cmdline(argv)
    # Ctrl+C signals the terminal's whole process group, seats included. A running seat quits
    # cleanly on it (Textual's web driver handles SIGINT), but one still starting would die in
    # an import with a KeyboardInterrupt. So seats start with SIGINT ignored (that survives
    # exec); serve ends each seat by telling it to quit, which it reads once it is up.
    return "trap '' INT; exec " + shlex.join(argv)


def public_url(host: str, port: int, token: str | None) -> str:
    """The address to open: a wildcard host is shown as this machine's name."""
    if host in ("0.0.0.0", "::"):
        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    query = f"?{TOKEN_PARAMETER}={token}" if token else ""
    return f"http://{host}:{port}/{query}"


class SeatServer(Server):
    """textual-serve's server, guarded: a token (off loopback), a Host check (on loopback, so
    a DNS-rebound web page cannot reach it) and an Origin check on the websocket (so no other
    site's page can open a seat with the user's cookie)."""

    def __init__(self, command: str, host: str, port: int, token: str | None) -> None:
        super().__init__(command, host=host, port=port, title="debrief")
        self.token = token
        self.cookie = f"debrief-token-{port}"
        self._seats: set[asyncio.Task[object]] = set()

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        app.on_shutdown.append(self._end_seats)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """403 for a request that may not see the meeting; the cookie for one that may."""
        if self.token is None:
            if not is_loopback(_host_name(request.host)):
                raise web.HTTPForbidden(text="debrief serves this address to localhost only\n")
        elif not self._has_token(request):
            raise web.HTTPForbidden(text="open the link debrief serve printed, token and all\n")
        origin = request.headers.get("Origin")
        if (
            request.path == "/ws"
            and origin is not None
            and origin.lower() not in _origins(request.host)
        ):
            raise web.HTTPForbidden(text="a page from another site may not open a seat\n")
        response = await handler(request)
        if self.token is not None and request.query.get(TOKEN_PARAMETER) and request.path == "/":
            # The page's script builds the websocket URL itself (appending `?width=`), so the
            # token cannot ride on it; a cookie reaches the assets and the websocket instead.
            # Named by port: cookies are shared by every port of a host.
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", path="/")
        return response

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve prints a banner here, and `run` prints the one URL instead,
        once the port is bound."""

    def _has_token(self, request: web.Request) -> bool:
        assert self.token is not None
        given = request.query.get(TOKEN_PARAMETER) or request.cookies.get(self.cookie) or ""
        return secrets.compare_digest(given.encode(), self.token.encode())

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, with its websocket on the host the browser asked for: textual-serve's
        own page would name the bound address, and 0.0.0.0 is no address for a browser."""
        router = request.app.router
        scheme = "wss" if request.secure else "ws"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{scheme}://{request.host}{router['websocket'].url_for()}",
            "config": {"static": {"url": str(router["static"].url_for(filename="/"))}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A seat, remembered so that stopping can end it."""
        task = asyncio.current_task()
        assert task is not None
        self._seats.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            self._seats.discard(task)

    async def _end_seats(self, app: web.Application) -> None:
        # Cancelling a seat's handler is textual-serve's own way out: it closes the websocket
        # and sends the app "quit", then waits for the process to end.
        seats = set(self._seats)
        for task in seats:
            task.cancel()
        if seats:
            await asyncio.wait(seats, timeout=SEAT_QUIT_SECONDS)

    async def run(self) -> None:
        """Listen, print the URL to open, and serve until SIGINT or SIGTERM."""
        app = await self._make_app()
        # No access log: it would print every URL, token included.
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=SEAT_QUIT_SECONDS)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            try:
                await site.start()
            except OSError as exc:
                fail(_listen_error(self.host, self.port, exc), EXIT_REFUSED)
            port = _bound_port(runner) or self.port
            self.cookie = f"debrief-token-{port}"
            print(public_url(self.host, port, self.token), flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            if sys.platform != "win32":  # Windows has no signal handlers: KeyboardInterrupt
                for signum in (signal.SIGINT, signal.SIGTERM):
                    loop.add_signal_handler(signum, stop.set)
            await stop.wait()
        finally:
            await runner.cleanup()


def serve(db: str | None, agenda: str | None, host: str, port: int) -> None:
    """Serve debrief to browsers until Ctrl+C; CliError (exit 2) for what cannot be served."""
    from debrief_tui.core.errors import DatabaseRefused
    from debrief_tui.core.persistence import resolve

    check_host(host)
    try:
        target = resolve(db)
    except DatabaseRefused as exc:
        fail(str(exc), EXIT_REFUSED)
    if target.path is None and target.url.startswith("sqlite"):
        fail(
            "an in-memory database cannot be shared by browser tabs: give --db a file", EXIT_REFUSED
        )
    # Opened once here, so a database that is refused, or needs upgrading, is dealt with before
    # any tab races for it; the seats then find it ready.
    database_for(target).dispose()
    # Absolute now: a relative --db means the same file whatever a seat's directory.
    os.environ["DEBRIEF_DB"] = str(target.path) if target.path else target.url
    # How the room panel names a tab's seat (unless the one serving named them all).
    os.environ.setdefault("DEBRIEF_SEAT", f"browser via {socket.gethostname()}")
    token = None if is_loopback(host) else secrets.token_urlsafe(32)
    asyncio.run(SeatServer(seat_command(agenda), host, port, token).run())


def _host_name(host_header: str) -> str:
    """The host of a Host header, without its port or IPv6 brackets."""
    if host_header.startswith("["):
        return host_header[1:].partition("]")[0]
    return host_header.rpartition(":")[0] if ":" in host_header else host_header


def _origins(host_header: str) -> tuple[str, str]:
    """The Origin headers a page served from this Host sends."""
    return f"http://{host_header}".lower(), f"https://{host_header}".lower()


def _bound_port(runner: web.AppRunner) -> int | None:
    """The port actually bound (`--port 0` asks the system for a free one)."""
    for address in runner.addresses:
        return int(address[1])
    return None


def _listen_error(host: str, port: int, exc: OSError) -> str:
    """One line saying why serve cannot listen on host:port."""
    if isinstance(exc, socket.gaierror):
        return f"--host {host!r}: no such host"
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is in use on {host}: pick another with --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"--host {host} is not an address of this machine"
    if exc.errno == errno.EACCES:
        return f"not allowed to listen on port {port}: pick one above 1023"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
