"""Pilot tests: the Trends screen, opened from the session list with t, one chart at a time."""

from __future__ import annotations

from textual_plotext import PlotextPlot

from debrief_tui.core.persistence.unit import Database
from debrief_tui.ui.screens.session_list import SessionListScreen
from debrief_tui.ui.screens.trends import TrendsScreen
from tests.helpers import opened, running, screen_text, settle
from tests.test_report import build_incidents

SIZE = (80, 24)


async def test_trends_open_from_the_list_switch_charts_and_go_back(db: Database) -> None:
    db.write(build_incidents)
    async with running(db, size=SIZE) as (app, pilot):
        assert "Trends" in screen_text(app)  # the key is in the footer
        await pilot.press("t")
        screen = await opened(app, pilot, TrendsScreen)
        await settle(pilot)
        text = screen_text(app)
        assert "1/8 Incidents per month by severity" in text
        assert "2026-01" in text  # the months are on the chart's axis
        assert "SEV1" in text  # and the severities in its legend
        assert screen.query_one("#chart", PlotextPlot).size.height >= 12  # room to read
        await pilot.press("right")
        await settle(pilot)
        assert "2/8 Time to detect per month" in screen_text(app)
        await pilot.press("left", "left")
        await settle(pilot)
        text = screen_text(app)
        assert "8/8 Who noticed first: the observability gap" in text
        assert "customer" in text
        await pilot.press("p", "p", "p", "p")
        await settle(pilot)
        assert "4/8 Time to resolve per month" in screen_text(app)
        await pilot.press("p")
        await settle(pilot)
        assert "3/8" in screen_text(app)
        await pilot.press("n", "n")  # the downtime chart draws its budget line
        await settle(pilot)
        assert "5/8 Downtime against the SLA budget" in screen_text(app)
        await pilot.press("f3")  # the other theme: redrawn in its colours
        await settle(pilot)
        assert "Downtime against the SLA budget" in screen_text(app)
        await pilot.press("escape")
        await opened(app, pilot, SessionListScreen)


async def test_trends_of_an_empty_database_say_so(db: Database) -> None:
    async with running(db, size=SIZE) as (app, pilot):
        await pilot.press("t")
        await opened(app, pilot, TrendsScreen)
        await settle(pilot)
        assert "No incidents recorded yet." in screen_text(app)
        assert not app.screen.query(PlotextPlot)
        await pilot.press("escape")
        await opened(app, pilot, SessionListScreen)


async def test_each_series_of_a_chart_has_a_colour_of_its_own_in_both_themes(
    db: Database,
) -> None:
    # Severities, factor categories (six here) and detection sources are told apart by colour
    # alone: SEV2 and SEV4 had been drawn in one orange (the themes' accent and warning).
    db.write(build_incidents)
    async with running(db, size=SIZE) as (app, pilot):
        await pilot.press("t")
        screen = await opened(app, pilot, TrendsScreen)
        for _theme in range(2):
            colours = [screen._colour(n) for n in range(7)]
            assert len(set(colours)) == 7, colours
            assert screen._colour(-1) not in colours  # the budget line's red stands apart
            await pilot.press("f3")
            await settle(pilot)
