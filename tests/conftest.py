from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ioa_utils.paths import PROJECT_ROOT

REAL = PROJECT_ROOT.parent / "shared" / "fixtures" / "real"


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """The real RNA_0621 release files (read-only), from ../shared beside the checkout."""
    if not (REAL / "rna_0621").is_dir():
        pytest.skip(f"real archive fixtures not found at {REAL} (they live in ../shared beside the checkout)")
    return REAL


@pytest.fixture()
def real_copy(real_dir: Path, tmp_path: Path) -> Path:
    """A writable copy of the real release, for tests that add or damage files."""
    dest = tmp_path / "raw" / "rna_0621"
    shutil.copytree(real_dir / "rna_0621", dest)
    for p in dest.iterdir():
        p.chmod(0o644)
    return dest
