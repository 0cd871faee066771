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


WARMUP_THEN_STAGE_KERNELS = """
import json
import numpy as np
from ioa_utils.topics.model import warmup
from ioa_utils.topics.reduce import knn_indices
from umap import UMAP, distances, utils

kernels = (utils.fast_knn_indices, distances.cosine)
warmup()
after_warmup = [len(f.signatures) for f in kernels]
d = np.abs(np.random.default_rng(1).normal(size=(40, 40))).astype(np.float32)
d[:, 1] = d[:, 0]  # tied distances: the path of UMAP's own sort
knn_indices(d, 5)
UMAP(n_neighbors=2, n_components=2, metric="cosine", init="random", random_state=42).fit_transform(
    np.random.default_rng(2).random((5, 100), dtype=np.float32))
print(json.dumps({"after warmup": after_warmup, "after the stage's calls": [len(f.signatures) for f in kernels]}))
"""


def test_the_warmup_compiles_the_kernels_of_tied_neighbours_and_the_distance_map():
    """``warmup`` (which ``make install`` runs through ``python -m ioa_utils.topics.jit``, filling the cache) already
    compiled what the topics stage calls later: the tie path of the neighbour search and BERTopic's distance map
    (cosine UMAP); so a report after the install compiles neither (they cost about 5 s of CPU)."""
    out = subprocess.run([sys.executable, "-c", WARMUP_THEN_STAGE_KERNELS], capture_output=True, text=True,
                         check=True)
    got = json.loads(out.stdout.splitlines()[-1])
    assert got["after warmup"] == [1, 1] and got["after the stage's calls"] == [1, 1]
