"""Medians and p95s, and the results table."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

HEADER = (
    "| Figure | ours: median / p95 | floor: median / p95 | ratio | goal | result |\n"
    "| --- | --- | --- | --- | --- | --- |"
)


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Figure:
    """One measured figure against its floor."""

    name: str
    unit: str
    samples: list[float]
    floor_name: str
    floor: list[float]
    goal_ratio: float | None = None
    by: str = "median"
    """Which statistic the ratio compares: "median" or "p95"."""
    goal_max: float | None = None
    """An absolute goal instead of a ratio: p95 of the samples at most this (in `unit`)."""

    @property
    def median(self) -> float:
        """Median of the samples."""
        return statistics.median(self.samples)

    @property
    def ratio(self) -> float:
        """Ours over the floor, by median or by p95."""
        if self.by == "p95":
            return p95(self.samples) / p95(self.floor)
        return self.median / statistics.median(self.floor)

    def row(self) -> str:
        """A Markdown table row."""
        goal = f"≤ {self.goal_ratio}x" if self.goal_ratio else "report"
        verdict = (
            "—"
            if self.goal_ratio is None
            else ("pass" if self.ratio <= self.goal_ratio else "FAIL")
        )
        if self.goal_max is not None:
            goal = f"p95 ≤ {self.goal_max:g} {self.unit}"
            verdict = "pass" if p95(self.samples) <= self.goal_max else "FAIL"
        return (
            f"| {self.name} | {self.median:.2f} / {p95(self.samples):.2f} {self.unit} "
            f"| {self.floor_name}: {statistics.median(self.floor):.2f} / {p95(self.floor):.2f} "
            f"| {self.ratio:.2f}x | {goal} | {verdict} |"
        )
