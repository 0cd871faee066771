"""Fit BERTopic per release (and per script group), assign every tweet a topic.

Per release, tweets are split by the script group of their text (``cjk`` vs ``japanese`` vs ``latin`` vs
``thai`` …, ``tokenize.script_of``): words of different scripts never co-occur, so one model per group is both
faster and cleaner. In each group a model is fitted on the unique texts of ORIGINAL tweets (a stratified sample
by language and week when there are more than ``sample_size``); then

- originals / replies / quotes whose text was fitted take the fitted topic (``fitted_on="fit"``),
- retweets whose ``retweet_tweetid`` is in the data take the topic of that tweet (``"retweet"``),
- everything else gets the topic whose embedding is most similar to its own (BERTopic's rule for a model
  loaded without UMAP/HDBSCAN) with a floor measured on the fit (``nearest.py``; ``"transform"``), in sorted
  batches of distinct token keys (``tokenize.token_key``: texts that differ only in digits, emoji or
  punctuation have one embedding and are embedded once); ``probability`` is then that cosine similarity,
- tweets without letters / tokens, or in a script group too small to model or where HDBSCAN finds no cluster,
  get -1 (``"none"``).

Finally topics of different script groups whose hashtag profiles are similar (mutual nearest neighbours
with cosine >= ``link_threshold``, see ``link.py``) are merged into one topic, so that a narrative posted
in Chinese and in English is one topic; topic ids are then renumbered 0..k-1.

Everything is deterministic: sorted inputs, UMAP ``init="random"`` with a fixed ``random_state`` and
one thread, seeded SVD, HDBSCAN (deterministic given its input).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .embed import DEFAULT_BACKEND, SentenceEmbedder, SvdEmbedder, embed_cached, fit_embed, make_embedder
from .link import DEFAULT_EVIDENCE, link_topics
from .nearest import floors, nearest
from .reduce import SMALL_DATA, ExactUMAP
from .summary import outlier_shares, topic_table
from .tokenize import DEFAULT_STOP_LANGUAGES, Tokenizer, describe

TWEET_COLUMNS = ("tweetid", "userid", "tweet_time", "tweet_kind", "tweet_language", "text_norm",
                 "client", "retweet_tweetid", "hashtags")
FITTED_ON = ("fit", "transform", "retweet", "none")


@dataclass(frozen=True)
class TopicParams:
    """Everything that decides a topic model (part of the reproducibility contract)."""

    backend: str = DEFAULT_BACKEND  # "tfidf-svd" or "st:<local model path>"
    seed: int = 2020
    sample_size: int | None = 4_000  # max unique original texts fitted per group (None: all)
    batch_size: int = 20_000  # distinct token keys per transform batch
    min_cluster_size: int | None = None  # HDBSCAN; None: max(10, 2 % of the fitted texts)
    min_samples: int | None = 5
    n_neighbors: int = 30  # UMAP
    n_components: int = 5  # UMAP
    svd_components: int = 100  # tfidf-svd embedding size
    min_group_docs: int = 50  # script groups with fewer unique original texts are not modelled
    top_n_words: int = 10
    nr_topics: int | str | None = "auto"  # BERTopic topic reduction (merge similar topics)
    languages: tuple[str, ...] = tuple(sorted(DEFAULT_STOP_LANGUAGES))  # stop words (stopwordsiso codes)
    # cross-script linking (link.py): merge topics of different script groups whose evidence profiles
    # (TF-IDF cosine) are mutual nearest neighbours with cosine >= link_threshold; None: never merge
    link_threshold: float | None = 0.15
    link_evidence: tuple[str, ...] = DEFAULT_EVIDENCE  # list columns of the processed tweets


@dataclass
class GroupModel:
    group: str
    model: object  # bertopic.BERTopic
    embedder: SvdEmbedder | SentenceEmbedder
    offset: int  # global topic id before cross-script linking = local id + offset
    n_fit: int
    topic_map: dict[int, int] = field(default_factory=dict)  # local topic id -> final global topic id
    # per row of ``model.topic_embeddings_``: the lowest similarity of a fitted member (``nearest.floors``)
    floor: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass
class ReleaseTopics:
    release: str
    params: TopicParams
    frame: pd.DataFrame | None  # one row per tweet; None: read from ``assignments_file`` when first used
    topics: pd.DataFrame  # one row per topic (see ``topic_table``)
    groups: dict[str, GroupModel] = field(default_factory=dict)
    links: list[tuple[str, str, float]] = field(default_factory=list)  # ("cjk:0", "latin:2", cosine) merged
    assignments_file: Path | None = None  # the assignments as Parquet (written by the out-of-core stage)
    rows: int | None = None  # number of assignments (tweets)
    # seconds per step, texts transformed (out-of-core stage); ``outliers``: ``summary.outlier_shares``
    stats: dict = field(default_factory=dict)

    @property
    def assignments(self) -> pd.DataFrame:
        """One row per tweet (read from ``assignments_file`` on first use for out-of-core results)."""
        if self.frame is None:
            if self.assignments_file is None:
                raise ValueError(f"topics of {self.release} hold no assignments")
            self.frame = pd.read_parquet(self.assignments_file)
        return self.frame

    @property
    def n_rows(self) -> int:
        return len(self.frame) if self.frame is not None else int(self.rows or 0)


def warmup(seed: int = 2020, sample_size: int | None = 4_000) -> None:
    """Import UMAP/HDBSCAN and JIT-compile their numba code once per process, before the release loop.

    Fitting sets of >= 4096 texts (``sample_size`` None or larger) also compile pynndescent (~40 s).
    """
    from hdbscan import HDBSCAN
    from umap import UMAP

    n = 120 if sample_size is not None and sample_size < SMALL_DATA else SMALL_DATA + 10
    rng = np.random.default_rng(seed)
    x = rng.random((n, 8), dtype=np.float32)
    x[1] = x[0]  # a repeated text: the neighbour search's path for tied distances (UMAP's own sort)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    u = ExactUMAP(n_neighbors=10, n_components=2, random_state=seed).fit(x)
    u.transform(x[:10] + 0.01)
    HDBSCAN(min_cluster_size=10, prediction_data=True).fit(u.embedding_)
    # BERTopic's ``visualize_topics`` (the distance map): cosine UMAP of a few float32 topic embeddings
    UMAP(n_neighbors=2, n_components=2, metric="cosine", init="random", random_state=42).fit_transform(
        rng.random((6, 100), dtype=np.float32))


def _bertopic(params: TopicParams, n_fit: int, embedder, tokenizer: Tokenizer):
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer

    mcs = params.min_cluster_size or max(10, round(0.02 * n_fit))
    umap = ExactUMAP(n_neighbors=min(params.n_neighbors, n_fit - 1), n_components=params.n_components,
                     min_dist=0.0, random_state=params.seed)
    hdb = HDBSCAN(min_cluster_size=mcs, min_samples=params.min_samples, metric="euclidean",
                  cluster_selection_method="eom", prediction_data=True, core_dist_n_jobs=1)
    # c-TF-IDF sees one document per topic: keep min_df=1
    vec = CountVectorizer(tokenizer=tokenizer, lowercase=False, token_pattern=None)
    return BERTopic(embedding_model=embedder, umap_model=umap, hdbscan_model=hdb, vectorizer_model=vec,
                    top_n_words=params.top_n_words, nr_topics=params.nr_topics,
                    calculate_probabilities=False, verbose=False)


def stratified_sample(frame: pd.DataFrame, n: int | None, seed: int, by: list[str]) -> pd.DataFrame:
    """At most ``n`` rows drawn proportionally from each stratum of ``by`` (all rows if n is None/large): every
    stratum keeps at least one row, unless that would exceed ``n``; then a seeded draw brings the sample back to
    ``n`` (more than 4,096 texts would switch UMAP to its approximate neighbour search, another compile and other
    results)."""
    if n is None or len(frame) <= n:
        return frame
    frac = n / len(frame)
    parts = pd.concat([g.sample(n=max(1, round(frac * len(g))), random_state=seed)
                       for _, g in frame.groupby(by, sort=True, dropna=False)])
    return parts if len(parts) <= n else parts.sample(n=n, random_state=seed).sort_index()


def prepare_tweets(tweets: pd.DataFrame, evidence: tuple[str, ...] = ()) -> pd.DataFrame:
    """Sorted copy of the needed columns (plus ``evidence`` ones) with ``text``, ``group`` (script), ``week``."""
    cols = list(dict.fromkeys((*TWEET_COLUMNS, *evidence)))
    df = tweets[[c for c in cols if c in tweets.columns]].copy()
    df = df.sort_values("tweetid", key=tweet_order, kind="stable")
    return derive_columns(df.reset_index(drop=True))


def tweet_order(tweetid: pd.Series) -> pd.Series:
    """The sort key of tweets (numeric order of digit ids)."""
    return tweetid.astype(str).str.zfill(24)


def derive_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``text``, ``key`` (``tokenize.token_key``), ``group`` (script of the text, ``none`` without letters)
    and ``week`` (Monday) in place; key and script are computed once per distinct text (archives repeat
    texts a lot)."""
    df["text"] = df["text_norm"].fillna("").astype(str)
    codes, uniq = pd.factorize(df["text"])
    group, letters, keys = describe([str(t) for t in uniq])
    group[~letters] = "none"
    df["key"] = pd.Series(keys[codes] if len(codes) else [], index=df.index, dtype=str)
    df["group"] = pd.Series(group[codes] if len(codes) else [], index=df.index, dtype=str)
    df["week"] = week_of(df["tweet_time"])
    return df


def week_of(times: pd.Series) -> pd.Series:
    """The Monday (UTC, ``YYYY-MM-DD``) of each time's week (pandas' ``W-SUN`` periods; missing when the time is)."""
    days = pd.to_datetime(times, utc=True).dt.tz_localize(None).to_numpy().astype("datetime64[D]")
    n = days.astype(np.int64)
    monday = np.datetime_as_string((n - (n + 3) % 7).astype("datetime64[D]"), unit="D")  # 1970-01-01: a Thursday
    return pd.Series(np.where(np.isnat(days), None, monday.astype(object)), index=times.index, dtype=str)


def stratum_sample(sizes: list[int], n: int | None, seed: int) -> list[np.ndarray] | None:
    """``stratified_sample`` on stratum sizes: the positions drawn in each stratum (rows in their order),
    or None for all rows. Same draws as pandas' ``sample(random_state=seed)`` per stratum."""
    total = sum(sizes)
    if n is None or total <= n:
        return None
    frac = n / total
    draws = [np.random.RandomState(seed).permutation(k)[:max(1, round(frac * k))] for k in sizes]
    drawn = sum(len(d) for d in draws)
    if drawn <= n:
        return draws
    keep = np.zeros(drawn, bool)  # as pandas' sample(n, random_state=seed) of the concatenated draws
    keep[np.random.RandomState(seed).choice(drawn, size=n, replace=False)] = True
    return [d[k] for d, k in zip(draws, np.split(keep, np.cumsum([len(d) for d in draws])[:-1]), strict=True)]


def _fit_group(df: pd.DataFrame, group: str, params: TopicParams, cache: Path | None,
               offset: int) -> tuple[GroupModel | None, dict[str, tuple[int, float]]]:
    """Fit one script group; returns the model and ``text -> (local topic, probability)`` of fitted texts."""
    orig = df[(df["group"] == group) & (df["tweet_kind"] == "original")]
    uniq = orig.drop_duplicates("text")[["text", "tweet_language", "week"]]
    uniq = stratified_sample(uniq, params.sample_size, params.seed, ["tweet_language", "week"])
    return fit_texts(sorted(uniq["text"]), group, params, cache, offset)


def fit_texts(texts: list[str], group: str, params: TopicParams, cache: Path | None,
              offset: int) -> tuple[GroupModel | None, dict[str, tuple[int, float]]]:
    """Fit a group model on sorted unique ``texts`` (None when too few texts have an embedding)."""
    if len(texts) < params.min_group_docs:  # e.g. a handful of Cyrillic tweets in a mostly English release
        return None, {}
    tokenizer = Tokenizer(params.languages)
    embedder = make_embedder(params.backend, params.seed, params.svd_components, tokenizer)
    embedder, emb, _key = fit_embed(embedder, texts, cache)
    keep = np.linalg.norm(emb, axis=1) > 0  # texts made only of stop words have no embedding
    texts, emb = [t for t, k in zip(texts, keep, strict=True) if k], emb[keep]
    if len(texts) < params.min_group_docs:
        return None, {}
    model = _bertopic(params, len(texts), embedder, tokenizer)
    try:
        topics, probs = model.fit_transform(texts, embeddings=emb)
    except ValueError:  # BERTopic's topic reduction fails when HDBSCAN found no cluster at all
        if getattr(model.hdbscan_model, "labels_", None) is None or (model.hdbscan_model.labels_ >= 0).any():
            raise
        return None, {}  # no topic in this group (e.g. a script without word segmentation): all outliers
    gm = GroupModel(group, model, embedder, offset, len(texts), floor=floors(model, emb, np.asarray(topics)))
    gm.cache_key = _key  # type: ignore[attr-defined]
    return gm, {t: (int(k), float(p)) for t, k, p in zip(texts, topics, probs, strict=True)}


def next_offset(gm: GroupModel) -> int:
    """Global topic id offset of the group fitted after ``gm``."""
    return gm.offset + (int(max(gm.model.topic_sizes_)) + 1 if gm.model.topic_sizes_ else 0)


def _transform(gm: GroupModel, keys: list[str], params: TopicParams, cache: Path | None):
    """``token key -> (local topic, cosine similarity)`` for keys of texts the model did not see, in batches
    (``nearest.nearest``; keys without an embedding, e.g. only stop words, are left out)."""
    out: dict[str, tuple[int, float]] = {}
    key = gm.cache_key  # type: ignore[attr-defined]
    for start in range(0, len(keys), params.batch_size):
        batch = keys[start:start + params.batch_size]
        emb = embed_cached(gm.embedder, batch, key, cache)
        ok = np.linalg.norm(emb, axis=1) > 0
        sub = [t for t, k in zip(batch, ok, strict=True) if k]
        if sub:
            topics, sims = nearest(gm.model, emb[ok], gm.floor)
            out.update({t: (int(k), float(p)) for t, k, p in zip(sub, topics, sims, strict=True)})
    return out


def fit_release(tweets: pd.DataFrame, release: str = "", params: TopicParams = TopicParams(),
                cache: Path | None = None) -> ReleaseTopics:
    """Fit topic models for one release (a processed tweets table) and assign every tweet a topic."""
    df = prepare_tweets(tweets, params.link_evidence)
    n = len(df)
    topic, prob = np.full(n, -1, dtype=np.int64), np.full(n, np.nan)
    fitted_on = np.full(n, "none", dtype=object)
    groups: dict[str, GroupModel] = {}
    in_data_rt = (df["tweet_kind"] == "retweet") & df["retweet_tweetid"].isin(df["tweetid"])
    offset = 0
    for group in sorted(set(df["group"]) - {"none"}):
        gm, fitted = _fit_group(df, group, params, cache, offset)
        if gm is None:
            continue
        groups[group] = gm
        rows = np.flatnonzero((df["group"] == group).to_numpy() & ~in_data_rt.to_numpy())
        texts, keys = df["text"].to_numpy()[rows], df["key"].to_numpy()[rows]
        hit = np.array([t in fitted for t in texts], dtype=bool)
        done = _transform(gm, sorted(set(keys[~hit])), params, cache)
        for r, t, k, h in zip(rows, texts, keys, hit, strict=True):
            got = fitted[t] if h else done.get(k)
            if got is not None:
                k, p = got
                topic[r], prob[r], fitted_on[r] = (k + offset if k >= 0 else -1), p, ("fit" if h else "transform")
        offset = next_offset(gm)
    # retweets take the topic of the tweet they copy
    pos = pd.Series(np.arange(n), index=df["tweetid"])
    rt_rows = np.flatnonzero(in_data_rt.to_numpy())
    src = pos.reindex(df["retweet_tweetid"].to_numpy()[rt_rows]).to_numpy().astype(np.int64)
    topic[rt_rows], prob[rt_rows] = topic[src], prob[src]
    fitted_on[rt_rows] = np.where(fitted_on[src] == "none", "none", "retweet")
    group = df["group"].to_numpy(dtype=object)
    group[rt_rows] = group[src]
    df["group"] = group
    # merge cross-script topics with similar hashtag (evidence) profiles, renumber 0..k-1
    group_of = {gm.offset + int(k): name for name, gm in groups.items() for k in gm.model.topic_sizes_ if k >= 0}
    mapping, id_links = link_topics(df, topic, group_of, params.link_threshold, params.link_evidence)
    topic = np.array([mapping.get(int(k), -1) for k in topic], dtype=np.int64)
    links = apply_links(groups, mapping, id_links)
    assignments = df[["tweetid", "userid", "tweet_time", "tweet_kind", "tweet_language", "client", "group", "week"]]
    assignments = assignments.assign(topic=topic, probability=prob, fitted_on=fitted_on)
    table = topic_table(groups, assignments, df)
    labels = dict(zip(table["topic"], table["label"], strict=True))
    assignments.insert(assignments.columns.get_loc("topic") + 1, "topic_label",
                       assignments["topic"].map(labels).astype(str))
    return ReleaseTopics(release, params, assignments, table, groups, links,
                         stats={"outliers": outlier_shares(assignments)})


def apply_links(groups: dict[str, GroupModel], mapping: dict[int, int],
                id_links: list[tuple[int, int, float]]) -> list[tuple[str, str, float]]:
    """Record in each group model where its topics went after cross-script linking (``topic_map``); return
    the links with topics named ``group:local id``."""
    for gm in groups.values():
        gm.topic_map = {int(k): mapping.get(int(k) + gm.offset, -1) for k in sorted(gm.model.topic_sizes_)
                        if k >= 0}
    member = {gm.offset + k: f"{name}:{k}" for name, gm in groups.items() for k in gm.topic_map}
    return [(member[a], member[b], s) for a, b, s in id_links]


def params_dict(params: TopicParams) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(params).items()}
