"""A baseline the topic model must beat: TF-IDF + k-means on the same texts, with as many clusters as the model
found topics (the classic bag-of-words clustering BERTopic's paper compares against; Grootendorst, 2022).

Both are scored against the planted narratives on the same tweets (synthetic releases only), so the difference
is what the embedding, UMAP, HDBSCAN and cross-script linking add. k comes from the topic model, never from the
ground truth (the number of planted narratives would give the baseline an oracle).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer

from .. import store
from ..paths import DATA_DIR
from .evaluate import scores
from .tables import Assignments, Truth, planted_sample
from .tokenize import Tokenizer

MAX_TWEETS = 50_000  # tweets scored (a seeded sample beyond that); both methods are scored on the same ones


def _texts(release: str, tweetids: np.ndarray, work_dir: str | Path) -> pd.DataFrame:
    """``tweetid, text_norm`` of the given tweets, read partition by partition."""
    ids = pa.array(tweetids, pa.string())
    parts = [t.filter(pc.is_in(t["tweetid"], value_set=ids))
             for t in store.iter_partitions(release, "tweets", ["tweetid", "text_norm"], work_dir=work_dir)]
    return pa.concat_tables(parts).to_pandas()


def kmeans_baseline(release: str, assignments: Assignments, truth: Truth, languages: tuple[str, ...],
                    seed: int = 2020, work_dir: str | Path = DATA_DIR,
                    max_tweets: int = MAX_TWEETS) -> dict[str, float | int] | None:
    """NMI and ARI against the planted narratives of the topic model and of TF-IDF + k-means (``k`` = topics
    found, outliers excluded; the model's outliers count as one more cluster, as in ``topics.agreement``), on
    the same tweets (a seeded sample of ``max_tweets``, drawn by DuckDB: ``tables.planted_sample``). ``None``
    without ground truth (real releases)."""
    both = planted_sample(assignments, truth, max_tweets, seed)
    if both is None:
        return None
    both = both.sort_values("tweetid").reset_index(drop=True)
    k = int(pd.unique(both.loc[both["topic"] >= 0, "topic"]).size)
    texts = both.merge(_texts(release, both["tweetid"].to_numpy(object), work_dir), on="tweetid", how="left")
    distinct, text_code = np.unique(texts["text_norm"].fillna("").to_numpy(str), return_inverse=True)
    vec = TfidfVectorizer(tokenizer=Tokenizer(languages), lowercase=False, token_pattern=None, sublinear_tf=True)
    x = vec.fit_transform(distinct)
    k = max(1, min(k, x.shape[0]))
    labels = KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(x)[text_code]
    narrative, topic = both["narrative"].to_numpy(), both["topic"].to_numpy()
    (nmi_topics, ari_topics), (nmi_km, ari_km) = scores(narrative, topic), scores(narrative, labels)
    return {"n_tweets": int(len(both)), "k": k,
            "nmi topics": round(nmi_topics, 4), "nmi tf-idf k-means": round(nmi_km, 4),
            "ari topics": round(ari_topics, 4), "ari tf-idf k-means": round(ari_km, 4)}
