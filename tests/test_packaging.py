"""The wheel carries styles/ and data/, and runs from another directory without the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("debrief_tui-*.whl")
    return built


def test_wheel_contains_styles_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("styles", "data"):
        shipped = sorted(
            p.relative_to(REPO).as_posix() for p in (REPO / folder).rglob("*") if p.is_file()
        )
        assert shipped, folder
        for rel in shipped:
            assert f"debrief_tui/{rel}" in names, rel


def test_unpacked_wheel_runs_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "DEBRIEF_DB": str(tmp_path / "w.db")}
    check = (
        "import debrief_tui, debrief_tui.paths as p;"
        f"assert debrief_tui.__file__.startswith({str(site)!r}), debrief_tui.__file__;"
        "print(p.data_path('demo.json').is_file(), p.styles_path('base.tcss').is_file())"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, env=env, cwd=elsewhere
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]
    demo = subprocess.run(
        [sys.executable, "-m", "debrief_tui", "demo", "--no-open"],
        capture_output=True,
        text=True,
        env=env,
        cwd=elsewhere,
    )
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.strip() == "1"
