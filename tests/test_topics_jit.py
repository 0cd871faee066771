"""UMAP's numba kernels come from numba's disk cache after the first process, and give the same embedding."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FIT = """
import json
import numpy as np
from ioa_utils.topics.reduce import ExactUMAP
from umap import layouts

x = np.random.default_rng(7).normal(size=(200, 12)).astype(np.float32)
x /= np.linalg.norm(x, axis=1, keepdims=True)
emb = ExactUMAP(n_neighbors=10, n_components=3, n_epochs=30, random_state=3).fit(x).embedding_
stats = layouts._nb_optimize_layout_euclidean_single_epoch.stats
print(json.dumps({"embedding": emb.tobytes().hex(), "hits": sum(stats.cache_hits.values()),
                  "misses": sum(stats.cache_misses.values())}))
"""


def _fit(cache: Path) -> dict:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", FIT], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def test_second_process_loads_umap_kernels_from_the_cache_with_the_same_result(tmp_path: Path):
    first = _fit(tmp_path)
    assert first["misses"] >= 1 and first["hits"] == 0  # compiled here, and written to the cache
    assert any(tmp_path.rglob("*.nbi")), "numba wrote no cache index"
    second = _fit(tmp_path)
    assert second["hits"] >= 1 and second["misses"] == 0
    assert second["embedding"] == first["embedding"]
