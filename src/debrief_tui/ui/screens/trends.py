"""The Trends screen (t on the session list): the report's charts in the terminal, one at a
time (readable at 80x24), drawn by textual-plotext in the theme's colours.

The facts are read and the trends computed on the database thread; plotext is imported when
the screen first draws a chart, so start-up never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Footer, Static

from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal
from debrief_tui.ui.refusal import attempt

if TYPE_CHECKING:
    from datetime import datetime

    from debrief_tui.core.clock import Clock
    from debrief_tui.core.export import Chart, Trends
    from debrief_tui.core.persistence import Gateway, Unit

# The theme's colours a series is drawn in, in turn; `error` is kept for the budget line.
# Seven distinct ones (the themes' accent and warning, primary and secondary, had been alike:
# SEV2 and SEV4 were drawn in one orange).
SERIES_COLOURS = tuple(f"chart-{n}" for n in range(1, 8))


def _read_trends(tx: Unit, now: datetime) -> Trends:
    from debrief_tui.core.export import compute_trends

    return compute_trends(tx.trends.facts(None, now), now)


class TrendsScreen(Screen[None]):
    """Trends across every incident, one chart at a time."""

    CSS_PATH = styles_path("trends.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,n", "move(1)", "Next chart", id="next-chart"),
        Binding("left,p", "move(-1)", "Previous chart", id="previous-chart"),
        Binding("escape", "app.pop_screen", "Back", id="back"),
    ]

    def __init__(self, gateway: Gateway, clock: Clock) -> None:
        super().__init__()
        self.gateway = gateway
        self.clock = clock
        self.charts: tuple[Chart, ...] = ()
        self.index = 0

    def compose(self) -> ComposeResult:
        """The heading, the chart's title and note, the chart, and the footer."""
        yield Static("debrief · trends across incidents", id="trends-title")
        yield Static("Reading every session…", id="chart-title")
        yield Static("", id="chart-note")
        yield Container(id="chart-area")
        yield Footer()

    def on_mount(self) -> None:
        """Read the trends on the database thread; redraw in a new theme (f3)."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.draw())
        self.load()

    @work(group="trends", exclusive=True)
    async def load(self) -> None:
        """Read the facts and compute the trends (on the database thread), then draw."""
        from debrief_tui.core.export import trend_charts

        now = self.clock()
        trends = await attempt(self, self.gateway.read(lambda tx: _read_trends(tx, now)))
        if trends is None:
            return
        if not trends.months:
            self.query_one("#chart-title", Static).update("No incidents recorded yet.")
            self.refresh_bindings()
            return
        self.charts = trend_charts(trends)
        from textual_plotext import PlotextPlot

        await self.query_one("#chart-area").mount(PlotextPlot(id="chart"))
        self.draw()
        self.refresh_bindings()  # the keys that move between charts, now there are charts

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Moving between charts needs more than one chart."""
        if action == "move":
            return len(self.charts) > 1
        return True

    def action_move(self, step: int) -> None:
        """Show the next (1) or previous (-1) chart, round the end."""
        if self.charts:
            self.index = (self.index + step) % len(self.charts)
            self.draw()

    @property
    def chart(self) -> Chart | None:
        """The chart on show, if any."""
        return self.charts[self.index] if self.charts else None

    def draw(self) -> None:
        """Draw the chart on show, its title and its note."""
        from textual_plotext import PlotextPlot

        chart = self.chart
        if chart is None:
            return
        title = Text.assemble(
            (f"{self.index + 1}/{len(self.charts)} ", "bold"), literal(chart.title, "bold")
        )
        self.query_one("#chart-title", Static).update(title)
        self.query_one("#chart-note", Static).update(literal(chart.note))
        widget = self.query_one("#chart", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        colours = [self._colour(n) for n in range(len(chart.series))]
        months = list(chart.months)
        plt.ylabel(chart.unit)
        # The report's axis: whole ticks for counts, where plotext would mark 0.33 incidents.
        top, step = chart.scale
        plt.ylim(0, top)
        plt.yticks([step * i for i in range(round(top / step) + 1)])
        if chart.kind == "bars":
            values = [[v or 0.0 for v in s.values] for s in chart.series]
            names = [s.name for s in chart.series]
            if len(values) == 1:
                plt.bar(months, values[0], color=colours[0], label=names[0])
            elif values:
                # plotext takes a list of colours and `labels` here; its hints name one.
                plt.stacked_bar(months, values, labels=names, color=colours)  # type: ignore[call-arg, arg-type]
        else:
            plt.xticks(list(range(len(months))), months)
            for n, series in enumerate(chart.series):
                points = [(i, v) for i, v in enumerate(series.values) if v is not None]
                if points:
                    xs, ys = zip(*points, strict=True)
                    plt.plot(list(xs), list(ys), color=colours[n], label=series.name, marker="dot")
            if chart.reference is not None:
                plt.hline(chart.reference[1], self._colour(-1))
        widget.refresh()

    def _colour(self, n: int) -> tuple[int, int, int]:
        """A series' colour from the theme on show (-1: the reference line's)."""
        name = "error" if n < 0 else SERIES_COLOURS[n % len(SERIES_COLOURS)]
        value = self.app.theme_variables.get(name) or self.app.theme_variables["foreground"]
        return Color.parse(value).rgb
