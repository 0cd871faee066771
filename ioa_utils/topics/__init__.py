"""Topic modelling of information-operation releases (BERTopic, multilingual, deterministic).

Typical use::

    from ioa_utils import topics
    results = topics.run(releases, work_dir="data", params=topics.TopicParams(seed=2020))
    topics.agreement(results[r].assignments, ground_truth.load(raw_dir, r).tweets)  # synthetic only
"""

from .baseline import kmeans_baseline
from .embed import DEFAULT_BACKEND, SentenceEmbedder, SvdEmbedder, make_embedder
from .evaluate import agreement, narrative_crosstab
from .model import GroupModel, ReleaseTopics, TopicParams, fit_release, stratified_sample, warmup
from .pipeline import iter_assignments, load_assignments, load_model, load_table, read_tweets, run, save_release
from .report import (
    account_roles,
    outlier_shares,
    plot_over_time,
    plot_share,
    share_by,
    top_values,
    topic_table,
    topics_over_time,
    with_column,
)
from .tokenize import Tokenizer, script_of, stop_words

__all__ = [
    "DEFAULT_BACKEND", "GroupModel", "ReleaseTopics", "SentenceEmbedder", "SvdEmbedder", "TopicParams",
    "Tokenizer", "account_roles", "agreement", "fit_release", "iter_assignments", "kmeans_baseline",
    "load_assignments", "load_model", "load_table",
    "make_embedder", "narrative_crosstab", "outlier_shares", "plot_over_time", "plot_share", "read_tweets", "run",
    "save_release", "script_of", "share_by", "stop_words", "stratified_sample", "top_values", "topic_table",
    "topics_over_time", "warmup", "with_column",
]
