"""Writing export files safely: never half a file, never over one without being asked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from debrief_tui.core.errors import InputError


def write_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """Write `text` to `path` through a temporary file renamed into place.

    Raises InputError (with a one-line message) when the file exists and `force` is not set,
    when the path is a directory, or when the folder is missing or not writable. A failure
    part-way leaves whatever was at `path` before, and no temporary file.
    """
    if path.is_dir():
        raise InputError(f"{path} is a directory; give a file name")
    if path.exists() and not force:
        raise InputError(f"{path} already exists; use --force to replace it")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"the folder {folder} does not exist")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write in {folder}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
