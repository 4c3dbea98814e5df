"""The files of a chat export, read whole from a zip or a folder, with limits.

A zip is read in place (nothing is unpacked) and is refused when a name in it climbs out of it,
it holds too many entries, or a member would unpack to far more than it holds (a zip bomb).
Every refusal is one line naming the export; nothing here writes.
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

from debrief_tui.core.errors import InputError
from debrief_tui.core.text import one_line

_DAY_FILE = re.compile(r"(\d{4}-\d{2}-\d{2})\.json")
"""A channel's file of one day's messages."""

_UNPACKED = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
"""The compressions the standard library unpacks (Slack's exports are deflated)."""

MAX_FILE_BYTES = 128 * 1024 * 1024
"""The largest single file read from an export (a day of a busy channel is a few MB)."""
MAX_READ_BYTES = 512 * 1024 * 1024
"""The most read from one export for one channel: a longer channel is exported in parts."""
MAX_ZIP_ENTRIES = 500_000
MAX_RATIO = 200
"""A zip member that would unpack to more than this many times its packed size (and over a
megabyte) is a zip bomb: Slack's JSON packs about 5 to 20 times."""


class ExportFiles:
    """The files of an export, in a zip or a folder, read whole and with limits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.shown = one_line(str(path))  # control characters written out: it is printed
        self.read_bytes = 0
        self.zip: zipfile.ZipFile | None = None
        self.members: dict[str, zipfile.ZipInfo] = {}
        if path.is_dir():
            self.root = self._find_root_in_folder()
        else:
            self._open_zip()
            self.root = self._find_root_in_zip()

    def close(self) -> None:
        """Let go of the zip file."""
        if self.zip is not None:
            self.zip.close()

    def _refuse(self, why: str) -> InputError:
        return InputError(f"{self.shown}: {why}")

    def _open_zip(self) -> None:
        if not self.path.exists():
            raise self._refuse("no such file or folder")
        try:
            is_zip = zipfile.is_zipfile(self.path)
            self.zip = zipfile.ZipFile(self.path) if is_zip else None
        except (OSError, zipfile.BadZipFile, ValueError, EOFError) as exc:
            raise self._refuse(f"cannot be read as a zip ({reason(exc)})") from None
        if self.zip is None:
            raise self._refuse("not a zip file or a folder (a Slack export is one of those)")
        infos = self.zip.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise self._refuse(f"holds more than {MAX_ZIP_ENTRIES:,} files: not a Slack export")
        total = 0
        for info in infos:
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if (
                name.startswith(("/", "\\"))
                or re.match(r"[A-Za-z]:", name)
                or ".." in parts
                or "\0" in name
            ):
                shown = name.encode("unicode_escape").decode("ascii")[:80]
                raise self._refuse(f'holds a path outside the export ("{shown}"): not read')
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise self._refuse(
                    f"{one_line(name)[:80]} would unpack to {info.file_size:,} bytes from "
                    f"{info.compress_size:,}: a zip bomb, not read"
                )
            total += info.file_size
            self.members[name] = info
        if total > 64 * MAX_READ_BYTES:
            raise self._refuse(f"would unpack to {total:,} bytes: a zip bomb, not read")

    def _find_root_in_zip(self) -> str:
        """The folder in the zip that holds channels.json: the top, or one folder down (a
        folder zipped again)."""
        for marker in ("channels.json", "users.json", "groups.json", "org_users.json"):
            if marker in self.members:
                return ""
        tops = {name.split("/", 1)[0] for name in self.members if "/" in name}
        for top in sorted(tops):
            if any(f"{top}/{m}" in self.members for m in ("channels.json", "users.json")):
                return top + "/"
        return ""

    def _find_root_in_folder(self) -> str:
        for marker in ("channels.json", "users.json", "groups.json", "org_users.json"):
            if (self.path / marker).is_file():
                return ""
        inner = [p for p in self.path.iterdir() if p.is_dir() and (p / "channels.json").is_file()]
        return inner[0].name + "/" if len(inner) == 1 else ""

    def has(self, name: str) -> bool:
        """Whether the export holds the file `name` (relative to its top)."""
        if self.zip is not None:
            return self.root + name in self.members
        return (self.path / (self.root + name)).is_file()

    def day_files(self, folder: str) -> list[tuple[str, str]]:
        """(date, name) of the day files in `folder`, oldest first."""
        found: list[tuple[str, str]] = []
        prefix = self.root + folder + "/"
        if self.zip is not None:
            for name in self.members:
                if name.startswith(prefix):
                    match = _DAY_FILE.fullmatch(name[len(prefix) :])
                    if match:
                        found.append((match.group(1), name[len(self.root) :]))
        else:
            directory = self.path / prefix
            if directory.is_dir():
                for entry in directory.iterdir():
                    match = _DAY_FILE.fullmatch(entry.name)
                    if match and entry.is_file():
                        found.append((match.group(1), f"{folder}/{entry.name}"))
        return sorted(found)

    def has_folder(self, folder: str) -> bool:
        """Whether the export has a folder of that name (relative to its top)."""
        prefix = self.root + folder + "/"
        if self.zip is not None:
            return any(name.startswith(prefix) for name in self.members)
        return (self.path / prefix).is_dir()

    def read(self, name: str) -> bytes:
        """The bytes of file `name` (relative to the export's top); InputError when it
        cannot be read or is too large."""
        try:
            if self.zip is not None:
                info = self.members[self.root + name]
                if info.compress_type not in _UNPACKED:
                    raise self._refuse(f"cannot read {name} (a compression zipfile cannot unpack)")
                size = info.file_size
                self._count(name, size)
                with self.zip.open(info) as handle:
                    return handle.read(size + 1)  # never more than it says it holds
            path = self.path / (self.root + name)
            size = path.stat().st_size
            self._count(name, size)
            with path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except (
            OSError,
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            RuntimeError,  # a member with a password
        ) as exc:
            raise self._refuse(f"cannot read {name} ({reason(exc)})") from None
        if len(data) > MAX_FILE_BYTES:
            raise self._refuse(f"{name} is larger than {MAX_FILE_BYTES // 2**20} MB")
        return data

    def _count(self, name: str, size: int) -> None:
        if size > MAX_FILE_BYTES:
            raise self._refuse(f"{name} is larger than {MAX_FILE_BYTES // 2**20} MB")
        self.read_bytes += size
        if self.read_bytes > MAX_READ_BYTES:
            raise self._refuse(
                f"the channel's files add up to more than {MAX_READ_BYTES // 2**20} MB;"
                " export a shorter date range"
            )

    def json(self, name: str) -> Any:
        """The JSON value in file `name`; InputError naming the file when it is not JSON."""
        data = self.read(name)
        try:
            return json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise self._refuse(f"{name} is not UTF-8 text (byte {exc.start})") from None
        except json.JSONDecodeError as exc:
            raise self._refuse(f"{name} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
        except (ValueError, RecursionError) as exc:  # a number of 5,000 digits, deep nesting
            raise self._refuse(f"{name} is not JSON debrief reads ({reason(exc)})") from None


def reason(exc: BaseException) -> str:
    """An OS or parser error's message, on one line and short, for a refusal."""
    text = " ".join(str(getattr(exc, "strerror", None) or exc or type(exc).__name__).split())
    return text[:100]


def items(export: ExportFiles, name: str, what: str) -> list[dict[str, Any]]:
    """The objects of the list in file `name` (those that are not objects left out)."""
    value = export.json(name)
    if not isinstance(value, list):
        raise export._refuse(f"{name} should hold a list of {what}")
    return [item for item in value if isinstance(item, dict)]
