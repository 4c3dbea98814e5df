"""Links on a session and on its timeline events: dashboards, graphs, recordings, tickets, the
chat channel. What a link must be before it is saved, and how a row of them is typed.

A box of links reads the way a person writes them down: URLs side by side, each optionally
after the words that name it (`Grafana https://grafana.example/d/api  recording
https://zoom.us/rec/1`). Only web and mail links are kept: a link is opened by the system's
opener, and `javascript:`, `file:` or `data:` links would run or read something instead of
showing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from debrief_tui.core.errors import InputError

MAX_LINK_CHARS = 2000
"""The longest link (browsers and trackers keep well under this)."""
MAX_LABEL_CHARS = 80
MAX_LINKS = 20
"""The most links one session or one event holds."""

OPENED_SCHEMES = ("https", "http", "mailto")

_UNSAFE = '<>"`\\'
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")

# What a link is, guessed from where it points, when no words name it: the host's words.
_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "dashboard",
        ("grafana", "datadoghq", "newrelic", "kibana", "honeycomb", "prometheus", "splunk"),
    ),
    ("chat", ("slack.com", "teams.microsoft", "mattermost", "discord", "zulipchat")),
    ("recording", ("zoom.us", "meet.google", "loom.com", "youtube", "vimeo")),
    ("ticket", ("atlassian.net/browse", "/issues/", "/pull/", "linear.app", "/browse/")),
    ("document", ("docs.google", "notion.so", "confluence", "sharepoint", "/wiki/")),
    ("status page", ("statuspage", "status.")),
)


@dataclass(frozen=True)
class LinkRow:
    """A link before it is saved: where it points, and the words that name it (may be empty)."""

    url: str
    label: str = ""


def check_url(text: str) -> str:
    """A link as stored: stripped; InputError unless it is a whole http(s) or mailto link of
    at most MAX_LINK_CHARS with no spaces or control characters."""
    url = text.strip()
    shown = url if len(url) <= 60 else url[:57] + "…"
    if len(url) > MAX_LINK_CHARS:
        raise InputError(f"a link takes at most {MAX_LINK_CHARS:,} characters ({len(url):,} given)")
    if not _URL.match(url) or any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise InputError(f"{shown!r} is not a link: write it whole, such as https://…")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in OPENED_SCHEMES:
        raise InputError(
            f"{scheme}: links are not kept (only {', '.join(OPENED_SCHEMES)}): {shown!r}"
        )
    if scheme != "mailto" and not parts.netloc:
        raise InputError(f"{shown!r} names no host: write it whole, such as https://host/…")
    if any(c in _UNSAFE for c in url):
        # They end a link in Markdown and HTML: a browser writes them %-encoded.
        raise InputError(f"{shown!r} holds one of {' '.join(_UNSAFE)}: write it %-encoded")
    return url


def check_label(text: str) -> str:
    """A link's label as stored: white space folded; InputError when too long."""
    label = " ".join(text.split())
    if len(label) > MAX_LABEL_CHARS:
        raise InputError(f"a link's name takes at most {MAX_LABEL_CHARS} characters")
    return label


def parse_links(text: str) -> tuple[LinkRow, ...]:
    """The links typed in one box: URLs, each after the words that name it (if any).

    Raises InputError for a word that looks like a link but is not one we keep, words left
    after the last link, or more than MAX_LINKS links."""
    links: list[LinkRow] = []
    words: list[str] = []
    for word in text.split():
        if _URL.match(word) and not word.endswith(":"):
            links.append(LinkRow(check_url(word), check_label(" ".join(words))))
            words = []
        else:
            words.append(word)
    if words:
        raise InputError(f"{' '.join(words)!r} names no link: put the link after it")
    if len(links) > MAX_LINKS:
        raise InputError(f"at most {MAX_LINKS} links ({len(links)} given)")
    return tuple(dict.fromkeys(links))


def format_links(links: tuple[LinkRow, ...] | list[LinkRow]) -> str:
    """Links written back the way `parse_links` reads them (an edit box's text)."""
    return "  ".join(f"{link.label} {link.url}".strip() for link in links)


def link_kind(url: str) -> str:
    """What a link is likely to be (dashboard, chat, recording, ticket, document, status page),
    or its host: a name for a link nobody named."""
    lowered = url.lower()
    for kind, hints in _KINDS:
        if any(hint in lowered for hint in hints):
            return kind
    parts = urlsplit(url)
    if parts.scheme.lower() == "mailto":
        return "mail"
    host = parts.hostname or ""
    return host.removeprefix("www.") or "link"


def link_name(link: LinkRow) -> str:
    """The words a link is shown by: its label, else what it is likely to be."""
    return link.label or link_kind(link.url)
