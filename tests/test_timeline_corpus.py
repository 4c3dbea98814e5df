"""Thirty real published timelines, imported as a person would paste them.

Each `tests/examples/timelines/<name>.txt` is a timeline copied verbatim from a public page
(a postmortem, a status page's incident history, a Markdown file in a public postmortem
repository); its `.toml` names the page (`source`, cited in every failure below), the zone a
team would give its session, the session's start day where the lines carry no date, how the
expected times were worked out (`how`: zones, daylight saving, dates), and one `[[event]]`
per event with its UTC minute, the first words of its text and, for status logs, its status.

Every file must import with nothing refused, no event more or less, each exact to the minute
with its text, in time order; what a team would have to check (a zone read from a note, an
abbreviation written in the wrong season, a day assumed) must be said in a note.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date
from pathlib import Path
from typing import Any

import pytest

from debrief_tui.core.timeline.importing import read_timeline

CORPUS = Path(__file__).resolve().parent / "examples" / "timelines"
NAMES = sorted(path.stem for path in CORPUS.glob("*.toml"))

XFAIL: dict[str, str] = {}
"""Files not yet read right, with why (strict: one that passes must leave this list)."""


def _meta(name: str) -> dict[str, Any]:
    return tomllib.loads((CORPUS / f"{name}.toml").read_text(encoding="utf-8"))


def _format(text: str) -> str:
    """The format the paste box would be given: Markdown when the text is written in it
    (headings, tables, fences, bold, list items), else plain text."""
    markdown = re.search(r"(?m)^(?:#{1,6} |\||```)|\*\*|^\s*[-*] ", text)
    return "md" if markdown else "txt"


def _import(name: str) -> tuple[dict[str, Any], Any]:
    meta = _meta(name)
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    start = date.fromisoformat(meta["start_day"]) if "start_day" in meta else None
    return meta, read_timeline(text, _format(text), meta["session_zone"], start)


def _cases() -> list[Any]:
    marks = {name: pytest.mark.xfail(strict=True, reason=why) for name, why in XFAIL.items()}
    return [pytest.param(name, marks=marks.get(name, ()), id=name) for name in NAMES]


def test_the_corpus_is_thirty_timelines_from_many_organisations() -> None:
    organisations = {_meta(name)["organisation"].split(" (")[0] for name in NAMES}
    assert len(NAMES) >= 30
    assert len(organisations) >= 10
    for name in NAMES:
        assert (CORPUS / f"{name}.txt").is_file()
        assert _meta(name)["source"].startswith("http")


@pytest.mark.parametrize("name", _cases())
def test_a_published_timeline_imports_exactly(name: str) -> None:
    meta, result = _import(name)
    source = meta["source"]
    assert result.bad == [], f"{source}: refused {[b.describe() for b in result.bad]}"
    expected = meta["event"]
    if [e["utc"] for e in expected] == sorted((e["utc"] for e in expected), reverse=True):
        expected = expected[::-1]  # written newest first (a status log): read in time order
    expected = sorted(expected, key=lambda e: e["utc"])
    got = [
        (e.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"), e.text[: len(want["starts"])])
        for e, want in zip(result.events, expected, strict=False)
    ]
    want = [(e["utc"], e["starts"]) for e in expected]
    assert got == want, source
    assert len(result.events) == len(expected), f"{source}: {len(result.events)} events"
    assert [e.at for e in result.events] == sorted(e.at for e in result.events), source
    statuses = [e["kind"] for e in expected if "kind" in e]
    if statuses:
        assert [e.status for e in result.events] == statuses, source


@pytest.mark.parametrize(
    ("name", "said"),
    [
        # The traps the researchers flagged are read, and said, not silently taken.
        ("bandwagonhost-2018-07-06-los-angeles-heat", "PST written while America/Los_Angeles"),
        ("bandwagonhost-2018-07-06-los-angeles-heat", "read as the next day, 2018-07-07"),
        ("dfds-2020-06-09-alb-instance-attachment", "CET written while Europe/Copenhagen"),
        ("portswigger-2025-10-20-cloud-provider-outage", "GMT written while Europe/London"),
        ("chia-2021-05-09-negative-coin-values", "12:48 in UTC and 6:48 PDT are 1 hour apart"),
        ("chia-2021-05-09-negative-coin-values-jst", "read in Japan time (Asia/Tokyo)"),
        ("chia-2024-01-10-mainnet-stall", "'01-10-2024' read as 10 January 2024"),
        ("chia-2024-01-10-mainnet-stall", "a date without a time of day: not imported"),
        ("digitalocean-2018-08-01-cloud-control-panel-errors", "the session's start day"),
        ("dfds-2019-11-29-ip-starvation", "as the header 'Date and Time in CET' says"),
        ("jupyter-2018-02-20-jupyterlab-announcement", "a heading with no time that can be read"),
        ("jupyter-2020-07-09-scipy-launches", "America/Los_Angeles ('UC/Pacific' as written)"),
        ("npm-2019-11-21-registry-service-degradation", "no year given: 2019"),
        ("portswigger-2024-10-24-saas-outage", "read in the session's zone, Europe/London"),
        ("pypi-2022-04-05-pypi-down", "written newest first: put in time order"),
        ("rust-2019-10-21-docs-rs-outage", "no date on the line: 2019-10-21, as line 3 says"),
    ],
)
def test_what_was_assumed_is_noted(name: str, said: str) -> None:
    meta, result = _import(name)
    notes = [note.describe() for note in result.notes]
    assert any(said in note for note in notes), f"{meta['source']}: {notes}"


def test_the_command_line_prints_the_same_notes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from debrief_tui.cli import main

    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "cli.db"))
    name = "bandwagonhost-2018-07-06-los-angeles-heat"
    new = ["new", "--title", "Heat", "--severity", "SEV2", "--timezone", "America/Los_Angeles"]
    assert main(new) == 0
    session = capsys.readouterr().out.strip()
    assert main(["import", session, str(CORPUS / f"{name}.txt")]) == 0
    out, err = capsys.readouterr()
    assert out == "imported 9 events\n"
    _, result = _import(name)
    assert err.splitlines() == [f"note: {note.describe()}" for note in result.notes]
    assert "note: lines 5-27: PST written while America/Los_Angeles keeps PDT" in err
