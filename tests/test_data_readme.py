"""data/README.md lists the checksums a fresh generation of the default data reproduces."""

from __future__ import annotations

import re
from pathlib import Path

from ioa_utils import stages
from ioa_utils.paths import PROJECT_ROOT


def test_default_data_checksums_in_readme(tmp_path: Path):
    readme = (PROJECT_ROOT / "data" / "README.md").read_text()
    block = readme.split("## Checksums of the default data")[1].split("```")[1]
    documented = sorted(line for line in block.strip().splitlines() if re.match(r"^[0-9a-f]{64}  ", line))
    folder = tmp_path / "synthetic"
    folder.mkdir()
    (folder / stages.SYNTHETIC_MARKER).write_text("{}")  # mark as ours so it may be (re)generated
    stages.ensure_synthetic(folder, seed=2020, scale=1.0)
    generated = sorted((folder / "SHA256SUMS").read_text().strip().splitlines())
    assert documented == generated
