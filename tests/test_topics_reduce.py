"""ExactUMAP's neighbour search gives UMAP's own neighbours, ties included."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import euclidean_distances
from umap.utils import fast_knn_indices

from ioa_utils.topics.reduce import knn_indices


@pytest.mark.parametrize("decimals", [None, 2, 1])  # exact distances; rounded: many ties, at the k-th too
def test_knn_indices_equal_umaps_fast_knn_indices(decimals):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(600, 4)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    x[10] = x[11]  # duplicate points: distance 0 next to the diagonal's
    x[20] = x[21] = x[22]
    d = euclidean_distances(x).astype(np.float32)
    if decimals is not None:
        d = np.round(d, decimals)
    for k in (1, 10, 15):
        got = knn_indices(d, k)
        assert got.dtype == np.int32
        assert np.array_equal(got, fast_knn_indices(d, k))
    assert np.array_equal(knn_indices(d[:5, :5], 5), fast_knn_indices(d[:5, :5], 5))  # k = all columns
