"""Topics of texts a group model was not fitted on: the most similar topic embedding, with a floor.

The rule is BERTopic's own for a model without its UMAP/HDBSCAN (a model loaded from safetensors, as
``pipeline.load_model`` does). BERTopic 0.17.4, ``bertopic/_bertopic.py``, ``BERTopic.transform``, branch
``type(self.hdbscan_model) is BaseCluster``::

    sim_matrix = cosine_similarity(embeddings, np.array(self.topic_embeddings_))
    predictions = np.argmax(sim_matrix, axis=1) - self._outliers
    probabilities = np.max(sim_matrix, axis=1)  # calculate_probabilities=False

``topic_embeddings_`` are the means of the fitted texts' embeddings per topic (``_create_topic_vectors``),
the outlier topic -1 included (row 0 when the fit has outliers), so a text nearest the outliers' mean is an
outlier. One rule is added, the floor: a text whose similarity to its nearest topic is below that of every
fitted text HDBSCAN put in that topic (``floors``: the lowest member similarity, per topic) is an outlier
too. The floor is measured on the fit, not chosen: no parameter, nothing tuned on any ground truth.

Compared with BERTopic's full ``transform`` (UMAP ``transform`` + HDBSCAN ``approximate_predict``, ~0.5 ms
per text here), this is one matrix product per batch, and each text's topic depends only on its own
embedding, not on the rest of its batch (up to the rounding of the matrix product; the batches are fixed
anyway: sorted keys, ``batch_size`` of them).
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics.pairwise import cosine_similarity


def similarities(model, embeddings: np.ndarray) -> np.ndarray:
    """Cosine similarity of each embedding to each topic embedding (columns: topics in id order, -1 first)."""
    return cosine_similarity(embeddings, np.asarray(model.topic_embeddings_))


def floors(model, embeddings: np.ndarray, topics: np.ndarray) -> np.ndarray:
    """Per topic embedding row: the lowest similarity of a fitted text assigned to that topic (-inf for the
    outlier row and for topics without fitted texts)."""
    sim = similarities(model, embeddings)
    col = np.asarray(topics, dtype=np.int64) + model._outliers
    own = sim[np.arange(len(col)), col]
    out = np.full(sim.shape[1], np.inf)
    np.minimum.at(out, col, own)
    out[np.isinf(out)] = -np.inf
    if model._outliers:
        out[0] = -np.inf  # nearest to the outliers' mean: an outlier anyway
    return out


def nearest(model, embeddings: np.ndarray, floor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(topic, similarity) of each embedding: BERTopic's cosine rule, -1 below the topic's ``floor``."""
    sim = similarities(model, embeddings)
    best = np.argmax(sim, axis=1)
    prob = sim[np.arange(len(best)), best]
    topic = best - model._outliers
    topic[prob < floor[best]] = -1
    return topic.astype(np.int64), prob.astype(np.float64)
