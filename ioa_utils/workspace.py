"""Where one run reads and writes: the raw archive folder, the work folder, and the synthetic archive's settings.

A notebook's parameters ``raw_dir``, ``work_dir``, ``seed`` and ``scale`` become one :class:`Workspace`, which the
library functions that read both the raw archive and the stages take::

    ws = Workspace(raw_dir, work_dir, seed, scale)
    releases = ws.prepare(releases)                # load and clean every release (synthetic archive generated first)
    truth = {r: ws.truth(r) for r in releases}     # planted ground truth (None for a real release)
    data = cs.load(release, ws, timezone)

Functions that only read stage outputs keep taking the work folder: ``ws.work_dir``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths

if TYPE_CHECKING:
    from .ground_truth import GroundTruth


@dataclass(frozen=True)
class Workspace:
    """The raw archive folder (``raw_dir``), the folder the stages write to (``work_dir``: ``interim/``,
    ``processed/``), and the seed and scale of the synthetic archive (used only when ``raw_dir`` is, or will be,
    a generated one). Relative paths are relative to the project root (``paths.resolve``); both are stored
    absolute."""

    raw_dir: Path = paths.DEFAULT_RAW_DIR
    work_dir: Path = paths.DATA_DIR
    seed: int = 2020
    scale: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "raw_dir", paths.resolve(self.raw_dir))
        object.__setattr__(self, "work_dir", paths.resolve(self.work_dir))

    @classmethod
    def from_params(cls, params: Mapping) -> Workspace:
        """The workspace of a run's notebook parameters (``raw_dir``, ``work_dir``, ``seed``, ``scale``; missing
        ones take the notebooks' defaults)."""
        given = {k: params[k] for k in ("raw_dir", "work_dir", "seed", "scale") if k in params}
        return cls(**given)

    def prepare(self, releases: list[str] | None = None) -> list[str]:
        """Load and clean ``releases`` (None: every release in ``raw_dir``), generating the synthetic archive first
        where it applies; their ids (``stages.prepare``)."""
        from . import stages

        return stages.prepare(self.raw_dir, self.work_dir, self.seed, self.scale, releases)

    def release_ids(self) -> list[str]:
        """The releases in ``raw_dir`` (the synthetic archive generated first where it applies), without loading
        them (``stages.release_ids``)."""
        from . import stages

        return stages.release_ids(self.raw_dir, self.seed, self.scale)

    def truth(self, release: str) -> GroundTruth | None:
        """The planted ground truth of a synthetic release, None for a real one (``ground_truth.load``)."""
        from . import ground_truth

        return ground_truth.load(self.raw_dir, release)

    def interim(self, release: str) -> Path:
        """``<work_dir>/interim/<release>``: the load stage's tables."""
        return paths.interim_dir(release, self.work_dir)

    def processed(self, release: str) -> Path:
        """``<work_dir>/processed/<release>``: the clean stage's tables and the stages computed from them."""
        return paths.processed_dir(release, self.work_dir)
