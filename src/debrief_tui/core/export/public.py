"""The external version of an export: attendee names replaced by their roles, minutes and
internal-only items left out, and a check for what still looks internal."""

from __future__ import annotations

import copy
import fnmatch
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from debrief_tui.core.reference.data import load_data_toml

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WORD = re.compile(r"[\w.*-]+")


@cache
def internal_host_patterns() -> tuple[str, ...]:
    """Shell-style patterns of internal host names, from `data/public.toml`."""
    return tuple(load_data_toml("public.toml").get("internal_hosts", []))


def _role_names(attendees: list[dict[str, Any]]) -> dict[str, str]:
    """Each attendee's name (and first name) mapped to a role label, numbered when shared."""
    counts: dict[str, int] = {}
    for person in attendees:
        counts[person["role"]] = counts.get(person["role"], 0) + 1
    seen: dict[str, int] = {}
    names: dict[str, str] = {}
    for person in attendees:
        role = person["role"]
        seen[role] = seen.get(role, 0) + 1
        label = f"the {role}" + (f" {seen[role]}" if counts[role] > 1 else "")
        names[person["name"]] = label
        first = person["name"].split()[0] if person["name"].split() else ""
        if len(first) > 2 and sum(p["name"].split()[:1] == [first] for p in attendees) == 1:
            names.setdefault(first, label)
    return names


def _replace_names(text: str, names: dict[str, str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", names[name], text, flags=re.IGNORECASE)
    return text


def _texts(document: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in the document with where it is (`actions[2].text`)."""
    if isinstance(document, str):
        yield path, document
    elif isinstance(document, dict):
        for key, value in document.items():
            yield from _texts(value, f"{path}.{key}" if path else key)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _texts(value, f"{path}[{index}]")


def _map_texts(document: Any, change: Any) -> Any:
    if isinstance(document, str):
        return change(document)
    if isinstance(document, dict):
        return {k: _map_texts(v, change) for k, v in document.items()}
    if isinstance(document, list):
        return [_map_texts(v, change) for v in document]
    return document


def make_public(export: dict[str, Any]) -> dict[str, Any]:
    """The external version: names become roles; minutes, the parking lot, tickets and the
    notes on accepted causes (internal discussion) are left out."""
    attendees = export["attendees"]
    names = _role_names(attendees)
    public = copy.deepcopy(export)
    public["minutes"] = []
    public["parking_lot"] = []
    public["stage_time"] = []
    for action in public["actions"]:
        action["ticket"] = ""
        action["owner"] = names.get(action["owner"], action["owner"])
    for item in (*public["whys"], *public["factors"]):
        item["no_action_note"] = None
    public["attendees"] = [
        {"name": names[a["name"]], "team": a["team"], "role": a["role"]} for a in attendees
    ]
    kept = {k: v for k, v in public.items() if k != "attendees"}
    replaced = _map_texts(kept, lambda text: _replace_names(text, names))
    return {**replaced, "attendees": public["attendees"], "public": True}


def leaks(public: dict[str, Any], attendees: list[dict[str, Any]]) -> list[str]:
    """Warnings for text in the public version that still looks internal: an attendee's
    name, an e-mail address, or a host name matching `data/public.toml`."""
    found: list[str] = []
    names = [a["name"] for a in attendees if a["name"]]
    patterns = internal_host_patterns()
    for where, text in _texts({k: v for k, v in public.items() if k != "attendees"}):
        for name in names:
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
                found.append(f"{where}: names {name}")
        for email in _EMAIL.findall(text):
            found.append(f"{where}: e-mail address {email}")
        for word in _WORD.findall(text):
            word = word.strip(".")
            if any(fnmatch.fnmatch(word.lower(), p) for p in patterns):
                found.append(f"{where}: internal host {word}")
    return found
