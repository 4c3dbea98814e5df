"""Generated arguments and files for every command that does not open the TUI: each run ends
with exit code 0 and a result, or a refusal of a few lines and the database exactly as before.
Never a traceback.

Each run goes through `main`, as the `debrief` script does; an exception it lets out fails the
test with the arguments that caused it. In CI the examples are the same every run; on a
developer's machine they are new each time, to find the next problem.
"""

from __future__ import annotations

import io
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debrief_tui.cli import main

HOSTILE = settings(
    max_examples=40,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
MAX_REFUSAL_LINES = 3

# Text of every kind: control and format characters (bidi overrides), markup, lone surrogates
# (what Python makes of bytes that are not UTF-8), huge numbers, zones and times at the edges.
any_text = st.text(st.characters(codec=None), max_size=60)
edge_text = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\u202e",
        "[bold]x[/]",
        "-1",
        "0",
        "1180591620717411303424",
        "9" * 40,
        "nan",
        "bad\udcff",
        "\ud800",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-12:00",
        "2025-03-21 09:37 Europe/Berlin",
        "2025-02-30 10:00",
        "24:00",
        "Mars/Olympus",
        "UTC+99",
        "../../etc/passwd",
        "--help",
        "-",
    ]
)
text = st.one_of(edge_text, any_text)
times = st.one_of(
    edge_text,
    any_text,
    st.datetimes().map(lambda moment: moment.isoformat()),
)
ids = st.one_of(st.integers(-(2**70), 2**70).map(str), edge_text, any_text)
severities = st.one_of(st.sampled_from(["SEV1", "sev2", "SEV4", "SEV9"]), text)
zones = st.one_of(st.sampled_from(["UTC", "America/Los_Angeles", "Asia/Kolkata"]), text)
milestones = (
    "--started",
    "--detected",
    "--acknowledged",
    "--first-communication",
    "--mitigated",
    "--resolved",
)
lines = st.lists(st.one_of(text, times.map(lambda t: f"{t} something broke")), max_size=8)


@contextmanager
def _database() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.db"
        assert main(["--db", str(path), "demo", "--no-open"]) == 0
        yield path


def _dump(path: Path) -> list[str]:
    """Every row and table of the file (the change log and seats included)."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _run(db: Path, args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--db", str(db), *args])
    return code, out.getvalue(), err.getvalue()


def _check(db: Path, args: list[str]) -> tuple[int, str]:
    """Run `args`; a refusal is a few lines on stderr and leaves the database as it was."""
    before = _dump(db)
    code, out, err = _run(db, args)
    assert "Traceback" not in err, args
    if code != 0:
        assert err.startswith(("debrief: ", "line ", "item ")), (
            args,
            err,
        )
        refusal = [line for line in err.splitlines() if line.startswith("debrief: ")]
        assert len(refusal) == 1, (args, err)
        assert len(refusal[0]) < 1000, args
        assert _dump(db) == before, args
    return code, out


@HOSTILE
@given(
    title=text,
    severity=severities,
    zone=zones,
    summary=text,
    when=st.dictionaries(st.sampled_from(milestones), times, max_size=3),
)
def test_new(title: str, severity: str, zone: str, summary: str, when: dict[str, str]) -> None:
    args = ["new", "--title", title, "--severity", severity, "--timezone", zone]
    args += ["--summary", summary]
    for option, value in when.items():
        args += [option, value]
    with _database() as db:
        code, out = _check(db, args)
        if code == 0:
            listed = _run(db, ["list", "--json"])
            assert out.strip() in listed[1]


@HOSTILE
@given(
    session=ids,
    body=lines,
    ending=st.sampled_from(["txt", "md", "csv", "json"]),
    zone=st.one_of(st.none(), zones),
    skip_bad=st.booleans(),
)
def test_import(
    session: str, body: list[str], ending: str, zone: str | None, skip_bad: bool
) -> None:
    with _database() as db:
        source = db.parent / f"timeline.{ending}"
        # (surrogatepass: a lone surrogate becomes bytes that are not valid UTF-8)
        source.write_bytes("\n".join(body).encode("utf-8", "surrogatepass"))
        args = ["import", session, str(source)]
        if zone is not None:
            args += ["--timezone", zone]
        if skip_bad:
            args.append("--skip-bad")
        _check(db, args)


@HOSTILE
@given(
    session=ids,
    fmt=st.sampled_from(["md", "html", "minutes", "json", "csv", "gh", "ics", "all", "pdf"]),
    layout=st.one_of(st.none(), st.sampled_from(["debrief", "google", "pagerduty", "x"])),
    public=st.booleans(),
    out=st.sampled_from([None, "file", "folder", "missing/deep/file"]),
    template=st.one_of(st.none(), text),
)
def test_export(
    session: str,
    fmt: str,
    layout: str | None,
    public: bool,
    out: str | None,
    template: str | None,
) -> None:
    with _database() as db:
        args = ["export", session, "--format", fmt]
        if layout is not None:
            args += ["--layout", layout]
        if public:
            args.append("--public")
        if out is not None:
            target = db.parent / out
            if out == "folder":
                target.mkdir()
            args += ["--out", str(target)]
        if template is not None:
            path = db.parent / "team.md.j2"
            path.write_bytes(template.encode("utf-8", "surrogatepass"))
            args += ["--template", str(path)]
        _check(db, args)


@HOSTILE
@given(args=st.lists(text, max_size=4))
def test_any_words_after_a_command(args: list[str]) -> None:
    """Whatever follows a command's name (the TUI's `open` only with an id no row has)."""
    with _database() as db:
        for command in ("list", "export", "import", "load", "new", "demo"):
            words = [command, *args]
            if command == "demo" and "--no-open" not in words:
                words.append("--no-open")
            _check(db, words)
        _check(db, ["open", "0", *args])
