"""A deterministic synthetic mini-archive in the exact format of Twitter's information-operations
releases, with planted ground truth (see ``ioa_utils.ground_truth``).

    from ioa_utils.synthetic import generate, RELEASES
    paths = generate("data/raw/synthetic", seed=2020, scale=1.0)
    # one release of ~37M tweets in the real Turkey release's shape (~7,340 accounts):
    paths = generate("/tmp/big", releases=["synth_turkey_052020"], tweets=37_000_000)
"""

from __future__ import annotations

from .generate import generate
from .releases import RELEASES, ReleaseSpec

__all__ = ["RELEASES", "ReleaseSpec", "generate"]
