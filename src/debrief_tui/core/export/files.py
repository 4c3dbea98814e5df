"""Writing export files safely: never half a file, never over one without being asked, never
over anything but a file, and no temporary file left behind for long."""

from __future__ import annotations

import glob
import os
import stat
import tempfile
from pathlib import Path

from debrief_tui.core.errors import InputError


def write_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """Write `text` to `path` through a temporary file renamed into place.

    Raises InputError (with a one-line message) when the file exists and `force` is not set,
    when the path is a directory or anything else that is not a regular file (a FIFO, a device,
    a link), or when the folder is missing or not writable. A failure part-way leaves whatever
    was at `path` before, and no temporary file; one left by a process killed meanwhile is
    removed by the next export of that name into the folder. The file gets the permissions the
    user's umask gives a new file.
    """
    _check_replaceable(path, force=force)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"the folder {folder} does not exist")
    _remove_abandoned(folder, path.name)
    try:
        handle, temp = tempfile.mkstemp(
            prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=folder
        )
    except OSError as exc:
        raise InputError(f"cannot write in {folder}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp made it 0600
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _check_replaceable(path: Path, *, force: bool) -> None:
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from None
    if stat.S_ISDIR(found.st_mode):
        raise InputError(f"{path} is a directory; give a file name")
    if not stat.S_ISREG(found.st_mode):
        # --force replaces a file, never a FIFO, a device or a link (which would be replaced
        # by a plain file, not written through).
        raise InputError(f"{path} is not a regular file; it was left as is")
    if not force:
        raise InputError(f"{path} already exists; use --force to replace it")


def _remove_abandoned(folder: Path, name: str) -> None:
    """Remove the temporary files an export of `name` left when its process was killed."""
    for leftover in glob.glob(
        os.path.join(glob.escape(str(folder)), f".{glob.escape(name)}.*.tmp")
    ):
        pid = Path(leftover).name[len(name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            Path(leftover).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's, and running
    return True


def _umask() -> int:
    """The process's umask, read without changing it where the system says it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
