"""Where things live. Every path can be overridden; defaults are relative to the project root."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_RAW_DIR = DATA_DIR / "raw" / "synthetic"
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"


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


def interim_dir(release: str, work_dir: str | Path = DATA_DIR) -> Path:
    return resolve(work_dir) / "interim" / release


def processed_dir(release: str, work_dir: str | Path = DATA_DIR) -> Path:
    return resolve(work_dir) / "processed" / release
