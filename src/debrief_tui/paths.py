"""Where the shipped assets live: `styles/` and `data/`.

In a wheel they are inside the package (mapped there by the build); in a source checkout they sit
at the top level of the repository. This module is the one place that knows both layouts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def _asset_dir(name: str) -> Path:
    installed = _PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"debrief's {name}/ folder is missing from this installation")


def data_path(*parts: str) -> Path:
    """Path of a file in the shipped `data/` folder."""
    return _asset_dir("data").joinpath(*parts)


def styles_path(*parts: str) -> Path:
    """Path of a file in the shipped `styles/` folder."""
    return _asset_dir("styles").joinpath(*parts)
