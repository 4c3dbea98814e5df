"""Exports: the JSON document and every format written from it, escaping, the public
version, writing files, and reading a document back (`debrief load`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from debrief_tui.core.lazy import load

if TYPE_CHECKING:
    from debrief_tui.core.export.chart_series import Chart, Series, trend_charts
    from debrief_tui.core.export.document import (
        Document,
        load_demo_file,
        load_document_file,
        read_document,
        read_document_text,
    )
    from debrief_tui.core.export.exporting import Exported, ExportOptions, export_files, export_one
    from debrief_tui.core.export.files import write_atomic
    from debrief_tui.core.export.formats import EXTENSIONS, FORMATS, LAYOUTS
    from debrief_tui.core.export.json_export import (
        SCHEMA_VERSION,
        ExportSource,
        build_export,
        render_json,
    )
    from debrief_tui.core.export.reminders import DIGEST_FORMATS, reminder_digest
    from debrief_tui.core.export.report import render_report
    from debrief_tui.core.export.trends import ActionTally, IncidentFacts, Trends, compute_trends

__all__ = [
    "DIGEST_FORMATS",
    "EXTENSIONS",
    "FORMATS",
    "LAYOUTS",
    "SCHEMA_VERSION",
    "ActionTally",
    "Chart",
    "Document",
    "ExportOptions",
    "ExportSource",
    "Exported",
    "IncidentFacts",
    "Series",
    "Trends",
    "build_export",
    "compute_trends",
    "export_files",
    "export_one",
    "load_demo_file",
    "load_document_file",
    "read_document",
    "read_document_text",
    "reminder_digest",
    "render_json",
    "render_report",
    "trend_charts",
    "write_atomic",
]

# Where each name lives: its module is imported when the name is first used.
_WHERE = {
    "Document": "document",
    "load_demo_file": "document",
    "load_document_file": "document",
    "read_document": "document",
    "read_document_text": "document",
    "ExportOptions": "exporting",
    "Exported": "exporting",
    "export_files": "exporting",
    "export_one": "exporting",
    "write_atomic": "files",
    "EXTENSIONS": "formats",
    "FORMATS": "formats",
    "LAYOUTS": "formats",
    "SCHEMA_VERSION": "json_export",
    "ExportSource": "json_export",
    "build_export": "json_export",
    "render_json": "json_export",
    "DIGEST_FORMATS": "reminders",
    "reminder_digest": "reminders",
    "render_report": "report",
    "Chart": "chart_series",
    "Series": "chart_series",
    "trend_charts": "chart_series",
    "ActionTally": "trends",
    "IncidentFacts": "trends",
    "Trends": "trends",
    "compute_trends": "trends",
}


def __getattr__(name: str) -> object:
    """Load the module holding `name` on first use."""
    return load(__name__, _WHERE, name)
