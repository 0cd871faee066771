"""UMAP with exact, vectorised nearest neighbours for fitting sets below UMAP's small-data limit.

Below 4096 points UMAP computes all pairwise distances itself, but through a numba metric called once
per pair from Python (about 1 min for 4000 x 8000 points); above it, it uses pynndescent, whose JIT
compilation costs ~40 s in every new process. Our embeddings are L2-normalised, so euclidean distance
ranks neighbours exactly like cosine distance: we compute it with scikit-learn (BLAS) and hand UMAP a
precomputed distance matrix. Larger fitting sets fall back to plain UMAP (pynndescent).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.metrics import euclidean_distances

SMALL_DATA = 4096  # umap's own threshold for exact neighbours
_PRECOMPUTED_FIT = "using precomputed metric; inverse_transform will be unavailable"
_PRECOMPUTED_TRANSFORM = "Transforming new data with precomputed metric"


class ExactUMAP(BaseEstimator):
    """``fit`` / ``transform`` like ``umap.UMAP``; deterministic (``init="random"``, one thread)."""

    def __init__(self, n_neighbors: int = 15, n_components: int = 5, min_dist: float = 0.0,
                 random_state: int = 2020, n_epochs: int = 200):
        self.n_neighbors, self.n_components, self.n_epochs = n_neighbors, n_components, n_epochs
        self.min_dist, self.random_state = min_dist, random_state

    def _umap(self, metric: str):
        from umap import UMAP

        from .jit import enable

        enable()  # compile UMAP's kernels once per environment (numba's disk cache), not once per process

        return UMAP(n_neighbors=self.n_neighbors, n_components=self.n_components, min_dist=self.min_dist,
                    metric=metric, init="random", random_state=self.random_state, n_jobs=1,
                    n_epochs=self.n_epochs)

    def fit(self, X: np.ndarray, y=None) -> ExactUMAP:
        X = np.ascontiguousarray(X, dtype=np.float32)
        self.train_ = X
        self.exact_ = len(X) < SMALL_DATA
        if self.exact_:
            with warnings.catch_warnings(), _exact_knn():  # we never inverse_transform
                warnings.filterwarnings("ignore", message=_PRECOMPUTED_FIT, category=UserWarning)
                self.umap_ = self._umap("precomputed").fit(euclidean_distances(X).astype(np.float32))
        else:
            self.umap_ = self._umap("cosine").fit(X)
        self.embedding_ = self.umap_.embedding_
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        X = np.ascontiguousarray(X, dtype=np.float32)
        if X.shape == self.train_.shape and np.array_equal(X, self.train_):
            return self.embedding_
        if not self.exact_:
            return self.umap_.transform(X)
        d = euclidean_distances(X, self.train_).astype(np.float32)
        with warnings.catch_warnings():  # the input *is* the distance matrix UMAP asks for
            warnings.filterwarnings("ignore", message=_PRECOMPUTED_TRANSFORM, category=UserWarning)
            return self.umap_.transform(d)


def knn_indices(d: np.ndarray, n_neighbors: int) -> np.ndarray:
    """``umap.utils.fast_knn_indices(d, n_neighbors)``, the same array, without sorting whole rows.

    UMAP sorts each row of the distance matrix (numba's quicksort). Where the ``n_neighbors + 1`` smallest
    distances of a row are all different, the first ``n_neighbors`` of that sort are fixed by the values alone,
    so a partition and a sort of those few give them; rows with a tie among them keep UMAP's own sort, whose
    order of equal values only it defines.
    """
    from umap.utils import fast_knn_indices

    k = n_neighbors
    if d.shape[0] == 0 or k + 1 > d.shape[1]:
        return fast_knn_indices(d, n_neighbors)
    near = np.argpartition(d, k, axis=1)[:, :k + 1]
    values = np.take_along_axis(d, near, axis=1)
    order = np.argsort(values, axis=1)
    near, values = np.take_along_axis(near, order, axis=1), np.take_along_axis(values, order, axis=1)
    out = near[:, :k].astype(np.int32)
    tied = np.flatnonzero(~(np.diff(values, axis=1) > 0).all(axis=1))
    if len(tied):
        out[tied] = fast_knn_indices(np.ascontiguousarray(d[tied]), n_neighbors)
    return out


@contextmanager
def _exact_knn() -> Iterator[None]:
    """UMAP's neighbours of a precomputed matrix from :func:`knn_indices` while a fit runs (same result)."""
    import umap.umap_ as umap_module

    original = umap_module.fast_knn_indices
    umap_module.fast_knn_indices = knn_indices
    try:
        yield
    finally:
        umap_module.fast_knn_indices = original
