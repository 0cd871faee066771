"""A deterministic synthetic mini-archive in the exact format of Twitter's information-operations
releases, with planted ground truth (see ``ioa_utils.ground_truth``).

    from ioa_utils.synthetic import generate, RELEASES
    paths = generate("data/raw/synthetic", seed=2020, scale=1.0)
"""

from __future__ import annotations

from .generate import generate
from .releases import RELEASES, ReleaseSpec

__all__ = ["RELEASES", "ReleaseSpec", "generate"]
