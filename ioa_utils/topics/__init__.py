"""Topic modelling of information-operation releases (BERTopic, multilingual, deterministic).

Typical use::

    from ioa_utils import topics
    results = topics.run(releases, work_dir="data", params=topics.TopicParams(seed=2020))
    topics.agreement(topics.planted(results[r], ws.truth(r)))  # synthetic only; ws: a workspace.Workspace

The names below are imported from their submodule on first use, so importing a light submodule
(``topics.evaluate``, ``topics.link``: the findings and case studies do) does not import BERTopic, UMAP and
numba (about 2.4 s in every notebook kernel that never fits a model).
"""

from __future__ import annotations

from importlib import import_module

_WHERE = {
    "baseline": ("kmeans_baseline",),
    "embed": ("DEFAULT_BACKEND", "SentenceEmbedder", "SvdEmbedder", "make_embedder"),
    "evaluate": ("agreement", "narrative_crosstab"),
    "model": ("GroupModel", "ReleaseTopics", "TopicParams", "fit_release", "stratified_sample", "warmup"),
    "pipeline": ("iter_assignments", "load_assignments", "load_model", "load_table", "read_tweets", "run",
                 "save_release"),
    "figures": ("plot_over_time", "plot_share"),
    "summary": ("outlier_shares", "topic_table"),
    "tables": ("account_roles", "counts", "planted", "share_by", "topics_over_time"),
    "tokenize": ("Tokenizer", "script_of", "stop_words"),
}
_MODULE = {name: module for module, names in _WHERE.items() for name in names}

__all__ = sorted(_MODULE)


def __getattr__(name: str):
    if name not in _MODULE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_MODULE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

