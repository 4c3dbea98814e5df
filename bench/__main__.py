"""Run every benchmark, print the table and write it to bench/results.md."""

from __future__ import annotations

import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench import chat, export, memory, minutes, saving, scale, seats, startup, timeline, whys
from bench.stats import HEADER, Figure, p95


def main() -> int:
    """Measure, print and save the results table."""
    runs_startup, runs_save, runs_append, runs_memory = 25, 300, 400, 3
    runs_import, runs_stage, runs_tree, runs_export = 7, 100, 100, 9
    runs_chat = 5
    runs_propagation, runs_busy, idle_seconds = 200, 200, 60
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bare, ours = startup.measure(runs_startup, work)
        appends = minutes.measure(runs_append, work)
        mem_bare, mem_ours = memory.measure(runs_memory, work)
        plain, adds, edits = saving.measure(runs_save, work)
        imports, import_floor = timeline.measure_import(runs_import, work)
        chats, chat_floor = chat.measure_import(runs_chat, work)
        stage = timeline.measure_stage(runs_stage, work)
        tree = whys.measure(runs_tree, work)
        exports = export.measure(runs_export, work)
        with seats.postgres_database() as postgres:
            propagation = seats.measure_propagation(runs_propagation, work, postgres)
            idle_urls = {"sqlite": str(work / "idle.db")}
            if postgres is not None:
                idle_urls["postgresql"] = postgres
            idle = seats.measure_idle(work, idle_urls, idle_seconds)
        busy = seats.measure_busy(runs_busy, work)
        with seats.postgres_database() as postgres:
            at_scale = scale.figures(work, postgres)
    figures = [
        Figure(
            "start-up: `debrief open ID` to the first frame with title and stage",
            "s",
            ours,
            "bare Textual app, one Static",
            bare,
            goal_ratio=1.3,
        ),
        Figure(
            "minute append, 10,000 minutes: Enter to committed and shown (p95)",
            "ms",
            appends["10000"],
            "bare app, Enter writes to a Log (p95)",
            appends["floor"],
            goal_ratio=1.5,
            by="p95",
        ),
        Figure(
            "minute append: p95 at 10,000 over p95 at 100 minutes",
            "ms",
            appends["10000"],
            "same, 100 minutes (p95)",
            appends["100"],
            goal_ratio=1.5,
            by="p95",
        ),
        Figure("peak memory, 10,000 minutes loaded", "MB", mem_ours, "bare Textual app", mem_bare),
        Figure("save: add an attendee", "ms", adds, "sqlite3 INSERT+COMMIT", plain),
        Figure("save: edit a fact", "ms", edits, "sqlite3 INSERT+COMMIT", plain),
        Figure(
            "timeline import: a 5,000-line paste read and committed",
            "s",
            imports,
            "sqlite3 executemany of the same rows",
            import_floor,
            goal_max=0.3,
        ),
        Figure(
            "chat export import: a 50,000-message channel read and committed",
            "s",
            chats,
            "json.loads of its files, sqlite3 executemany of the same rows",
            chat_floor,
            goal_max=3.0,
        ),
        Figure(
            "timeline stage, 5,000 events: cursor key to repaint (p95)",
            "ms",
            stage["key-5000"],
            "bare app repainting a Static on a key (p95)",
            stage["floor"],
            goal_ratio=1.5,
            by="p95",
        ),
        Figure(
            "timeline stage: key at 5,000 over key at 10 events (p95)",
            "ms",
            stage["key-5000"],
            "same, 10 events (p95)",
            stage["key-10"],
            goal_ratio=1.5,
            by="p95",
        ),
        Figure(
            "5 Whys, 1,000 nodes: move the selection (p95)",
            "ms",
            tree["key-1000"],
            "bare app repainting a Static on a key (p95)",
            tree["floor"],
            goal_ratio=2.0,
            by="p95",
        ),
        Figure(
            "5 Whys: move at 1,000 over move at 10 nodes (p95)",
            "ms",
            tree["key-1000"],
            "same, 10 nodes (p95)",
            tree["key-10"],
            goal_ratio=1.5,
            by="p95",
        ),
        Figure(
            "5 Whys, 1,000 nodes: add an answer, committed and shown (p95)",
            "ms",
            tree["add-1000"],
            "bare app repainting a Static on a key (p95)",
            tree["floor"],
            goal_ratio=2.0,
            by="p95",
        ),
        Figure(
            "5 Whys: add at 1,000 over add at 10 nodes (p95)",
            "ms",
            tree["add-1000"],
            "same, 10 nodes (p95)",
            tree["add-10"],
            goal_ratio=1.5,
            by="p95",
        ),
        Figure(
            "5 Whys: open the stage with 1,000 nodes",
            "ms",
            tree["open-1000"],
            "same, empty tree",
            tree["open-0"],
            goal_ratio=2.0,
        ),
        Figure(
            "export, every format: 10,000 minutes, 1,000 events, 500 whys, 200 actions",
            "s",
            exports["10"],
            "json.dumps of the same data",
            exports["floor"],
            goal_max=1.0,
        ),
        Figure(
            "export: 10x the data over 1x (linear growth)",
            "s",
            exports["10"],
            "same, a tenth of everything",
            exports["1"],
            goal_ratio=12.0,
        ),
        Figure(
            "timeline stage, 5,000 events: add an event, committed and shown",
            "ms",
            stage["add-5000"],
            "same, 10 events",
            stage["add-10"],
        ),
    ]
    for backend, (there, here) in propagation.items():
        figures.append(
            Figure(
                f"two seats, {backend}: Enter in one to the frame showing it in the other",
                "ms",
                there,
                "Enter to the frame showing it in the same seat",
                here,
                goal_max=300,
            )
        )
    for backend in idle_urls:
        figures.append(
            Figure(
                f"idle seat, {backend}: CPU over {idle_seconds} s (percent of one core)",
                "%",
                [idle[backend]],
                "bare Textual app, idle",
                [idle["floor"]],
                goal_max=1.0,
            )
        )
    figures.append(
        Figure(
            "two seats appending at full speed: Enter to committed and shown (p95)",
            "ms",
            busy["busy"],
            "the same seat appending alone (p95)",
            busy["alone"],
            goal_ratio=1.5,
            by="p95",
        )
    )
    figures += at_scale
    lines = [
        "# Benchmark results",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · Python {platform.python_version()} · "
        f"{platform.machine()}. Runs: start-up {runs_startup} each (interleaved, in an 80x24 "
        f"pseudo-terminal), appends {runs_append} each (headless, from the Enter event to the "
        f"first refresh showing the line), memory {runs_memory} each, saves {runs_save}, "
        f"timeline imports {runs_import}, chat exports {runs_chat}, "
        f"timeline stage keys and adds {runs_stage} each, "
        f"5 Whys keys and adds {runs_tree} each (openings: one per round, 10 rounds), "
        f"exports {runs_export} each, propagation {runs_propagation} per database (two seats "
        f"in this process, samples spaced at random), idle seats {idle_seconds} s beside a bare "
        f"app, appends beside another seat {runs_busy} (that seat a process of its own, "
        "appending as fast as it can). Interactive timings run from the key to the first frame "
        "that shows its effect.",
        "Ratios compare medians unless the row says p95; every floor is measured in the same run.",
        "",
        HEADER,
        *(f.row() for f in figures),
        "",
        f"Minute append with 100 minutes: median {_median(appends['100']):.1f} ms, "
        f"p95 {p95(appends['100']):.1f} ms.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    Path(__file__).with_name("results.md").write_text(text)
    return 0


def _median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


if __name__ == "__main__":
    sys.exit(main())
