"""Where things live. Every path can be overridden; defaults are relative to the project root."""

from __future__ import annotations

import re
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_RAW_DIR = DATA_DIR / "raw" / "synthetic"
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
# Release ids become folder names under interim/ and processed/: letters, digits, '_' and '-' only, starting
# with a letter or digit, so an id can never be '.', '..', hidden, a path, or too long for a file name.
# A safe folder name on every OS: ASCII letters, digits, '_' and '-', and not a Windows device name.
RELEASE_ID = re.compile(r"(?!(?i:con|prn|aux|nul|com[0-9]|lpt[0-9])$)[A-Za-z0-9][A-Za-z0-9_-]{0,99}")
RELEASE_ID_RULE = "letters, digits, '_' and '-', at most 100 characters, not a Windows device name such as CON"


def resolve(path: str | Path) -> Path:
    """A user-given path: absolute as given, relative ones against the project root (not the cwd,
    which is ``notebooks/`` inside a kernel and the project root under ``make``)."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else PROJECT_ROOT / p


def display(path: str | Path) -> str:
    """A path as printed in notebooks and reports: relative to the project root when inside it, so
    committed outputs do not depend on where the project was cloned."""
    p = Path(path).resolve()
    try:
        return p.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return p.as_posix()


def check_release_id(release: str) -> str:
    """``release`` if it is a safe folder name (see ``RELEASE_ID``), else ValueError."""
    if not isinstance(release, str) or not RELEASE_ID.fullmatch(release):
        raise ValueError(f"unsafe release id {release!r}: ids are {RELEASE_ID_RULE}")
    return release


def interim_dir(release: str, work_dir: str | Path = DATA_DIR) -> Path:
    return resolve(work_dir) / "interim" / check_release_id(release)


def processed_dir(release: str, work_dir: str | Path = DATA_DIR) -> Path:
    return resolve(work_dir) / "processed" / check_release_id(release)
