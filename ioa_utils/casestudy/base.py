"""What every detector shares: one release's data (tweets queried out of core), the result object, and
scoring.

:class:`CaseData` holds the accounts in pandas (a release has few) and answers SQL over the tweets with
DuckDB: ``data.query("SELECT userid, count(*) FROM tweets GROUP BY userid")`` reads only the columns the
query names, partition by partition, within ``MEMORY_LIMIT`` (DuckDB spills beyond it), so detectors bring
per-account or per-month tables to pandas, never the tweets of a whole release.

A detector takes a :class:`CaseData` and returns a :class:`Finding`: the accounts (and/or tweets) it
flags with the evidence for each, a supporting table, and a one-line statement of what it found, or
why it does not apply to this release. On synthetic releases a finding is scored against the planted
roles with :func:`ioa_utils.coordination.evaluate.score_accounts`.
"""

from __future__ import annotations

import re
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import store
from ..coordination.evaluate import score_accounts
from ..ground_truth import GroundTruth
from ..paths import DATA_DIR, processed_dir
from ..schema import PROCESSED_TWEETS_SCHEMA
from ..workspace import Workspace
from .lexicon import NARRATIVES

TOPIC_COLUMNS = ["tweetid", "userid", "topic", "topic_label"]
ITEM_TABLES = ("hashtags", "mentions", "urls")  # the clean stage's exploded list columns (``clean.EXPLODED_TABLE``)
# The roles every campaign detector is scored against (controls are the negatives).
CAMPAIGN_ROLES = ("core", "amplifier", "official_poser", "commercial", "ring", "compromised", "single_issue")
# DuckDB's budget per CaseData: it spills to a temporary folder beyond MEMORY_LIMIT (2 cores on this machine).
THREADS = 2
MEMORY_LIMIT = "2GB"
_NAMES_LABELS = re.compile(r"\blabels\b")  # a query reading the view ``labels``


@dataclass
class CaseData:
    """One release: its accounts (pandas), its tweets, narrative labels and topic assignments behind
    :meth:`query` (DuckDB views ``tweets``, ``accounts``, ``labels`` and, when the topics stage has run,
    ``topics``), its planted ground truth
    (``None`` on real data) and the attributed time zone. Build it with :func:`load` (processed Parquet) or
    :meth:`from_frames` (small in-memory tables, e.g. in tests)."""

    release: str
    accounts: pd.DataFrame
    truth: GroundTruth | None = None
    timezone: str = "UTC"
    work_dir: Path = DATA_DIR
    topics_note: str = ""  # why there are no topics, when there are none
    tweet_files: tuple[Path, ...] = ()  # processed tweet partitions (empty: ``frames["tweets"]``)
    topics_file: Path | None = None  # the topics stage's assignments
    frames: dict[str, pa.Table] = field(default_factory=dict, repr=False)  # in-memory "tweets" / "topics"
    # the clean stage's exploded list columns ("hashtags", "mentions", "urls": one row per item) -> partitions
    item_files: dict[str, tuple[Path, ...]] = field(default_factory=dict, repr=False)
    _con: Any = field(default=None, init=False, repr=False, compare=False)
    _labelled: bool = field(default=False, init=False, repr=False, compare=False)

    @classmethod
    def from_frames(cls, release: str, tweets: pd.DataFrame, accounts: pd.DataFrame,
                    truth: GroundTruth | None = None, timezone: str = "UTC",
                    topics: pd.DataFrame | None = None) -> CaseData:
        """A release from in-memory tables: ``tweets`` with (a subset of) the processed tweet columns,
        ``accounts`` like ``accounts.parquet``, optional ``topics`` (``tweetid, userid, topic, topic_label``)."""
        typed = pa.schema([f for f in PROCESSED_TWEETS_SCHEMA if f.name in tweets.columns])
        extra = [c for c in tweets.columns if c not in typed.names]
        frames = {"tweets": pa.Table.from_pandas(tweets[typed.names], schema=typed, preserve_index=False)}
        for c in extra:
            frames["tweets"] = frames["tweets"].append_column(c, pa.array(tweets[c]))
        if topics is not None:
            frames["topics"] = pa.Table.from_pandas(topics[TOPIC_COLUMNS], preserve_index=False)
        return cls(release, accounts, truth, timezone, frames=frames,
                   topics_note="" if topics is not None else "no topics given")

    @property
    def synthetic(self) -> bool:
        return self.truth is not None

    @property
    def has_topics(self) -> bool:
        return self.topics_file is not None or "topics" in self.frames

    def connection(self):
        """The DuckDB connection with the views (opened on first use; thread- and memory-limited)."""
        if self._con is None:
            self._con = _connect(self)
        return self._con

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """The result of ``sql`` over the views ``tweets``, ``accounts``, ``topics`` and ``labels`` as a
        DataFrame (timestamps in UTC). Aggregate in SQL: the result is materialised in pandas. ``labels`` (every
        tweet's narrative label per lexicon, :mod:`.labels`) is attached the first time a query names it:
        the labels stage's table for a release on disk, computed once in memory for :meth:`from_frames`."""
        con = self.connection()
        if not self._labelled and _NAMES_LABELS.search(sql):
            from . import labels

            labels.attach(con, self.release, self.work_dir, bool(self.tweet_files))
            self._labelled = True
        result = con.execute(sql, params or [])
        with warnings.catch_warnings():  # DuckDB's pandas conversion uses drop(inplace=True), deprecated in pandas 3.1
            warnings.filterwarnings("ignore", message="The inplace keyword")
            return result.df()

    @contextmanager
    def planted(self, name: str) -> Iterator[None]:
        """While active, view ``name`` holds the planted (tweetid, narrative) of every tweet (ground truth
        required), queried from its Parquet file, never held whole in pandas."""
        con, file = self.connection(), self.truth.tweets_file
        if file is None:
            con.register(name, self.truth.read_tweets(["tweetid", "narrative"]))
        else:
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT tweetid, narrative "
                        f"FROM read_parquet({_sql_str(file)})")
        try:
            yield
        finally:
            if file is None:
                con.unregister(name)
            else:
                con.execute(f"DROP VIEW {name}")

    def span(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last tweet time (UTC); figures mark the months the release covers only partly."""
        row = self.query("SELECT min(tweet_time) AS first, max(tweet_time) AS last FROM tweets").iloc[0]
        return pd.Timestamp(row["first"]), pd.Timestamp(row["last"])

    @property
    def n_tweets(self) -> int:
        """Tweets in the release (from the Parquet footers: nothing is read)."""
        if self.tweet_files:
            return sum(pq.ParquetFile(f).metadata.num_rows for f in self.tweet_files)
        return self.frames["tweets"].num_rows

    def tweets_frame(self, columns: list[str]) -> pd.DataFrame:
        """``columns`` of every tweet in pandas, ordered by time and id: for small releases and tests only."""
        cols = ", ".join(f'"{c}"' for c in columns)
        return self.query(f"SELECT {cols} FROM tweets ORDER BY tweet_time, tweetid")


def _sql_str(s: str | Path) -> str:
    return "'" + str(s).replace("'", "''") + "'"


def spill_dir() -> Path:
    """Where DuckDB spills beyond ``MEMORY_LIMIT``."""
    return Path(tempfile.gettempdir()) / "ioa_casestudy_spill"


def _connect(data: CaseData):
    import duckdb

    con = duckdb.connect(":memory:", config={"threads": THREADS, "memory_limit": MEMORY_LIMIT,
                                             "temp_directory": str(spill_dir()), "preserve_insertion_order": False})
    con.execute("SET TimeZone = 'UTC'")  # results in UTC, whatever the machine's zone
    con.execute("SET enable_progress_bar = false")  # no progress widget in notebook outputs
    con.register("accounts_frame", pa.Table.from_pandas(data.accounts, preserve_index=False))
    con.execute("CREATE VIEW accounts AS SELECT * FROM accounts_frame")
    if data.tweet_files:
        files = ", ".join(_sql_str(f) for f in data.tweet_files)
        con.execute(f"CREATE VIEW tweets AS SELECT * FROM read_parquet([{files}])")
    else:
        con.register("tweets_frame", data.frames["tweets"])
        con.execute("CREATE VIEW tweets AS SELECT * FROM tweets_frame")
    if data.topics_file is not None:
        cols = ", ".join(TOPIC_COLUMNS)
        con.execute(f"CREATE VIEW topics AS SELECT {cols} FROM read_parquet({_sql_str(data.topics_file)})")
    elif "topics" in data.frames:
        con.register("topics_frame", data.frames["topics"])
        con.execute("CREATE VIEW topics AS SELECT * FROM topics_frame")
    return con


def guess_timezone(release: str, default: str | None = None) -> str:
    """The attributed country's time zone of a release, from the release registry (``ioa_utils.registry``:
    ``synth_china_052020`` -> Asia/Shanghai, ``thailand_092020`` -> Asia/Bangkok). For a release the registry
    does not know: ``default`` when the caller passes one, else :class:`ioa_utils.registry.UnknownReleaseError`
    naming the parameter to set (``timezone`` / ``timezones``), never a silent UTC."""
    from ..registry import UnknownReleaseError, timezone_for

    try:
        return timezone_for(release)
    except UnknownReleaseError:
        if default is None:
            raise
        return default


def guess_campaign(release: str) -> str | None:
    """``china``, ``russia`` or ``turkey`` when the release id names one (the lexicon to use)."""
    words = re.split(r"[^a-z]+", release.lower())
    return next((w for w in words if w in NARRATIVES), None)


def topic_assignments(release: str, work_dir: str | Path = DATA_DIR,
                      compute: bool = True) -> tuple[Path | None, str]:
    """The per-tweet topics file of a release (``topics.parquet``, written by the topics stage); when it is
    missing and ``compute``, the topics stage is run once with its default parameters and saved, so
    later notebooks reuse it. Returns ``(path, "")``, or ``(None, reason)`` when there are none
    (topics stage not run, not installed, or failing on this release: case studies go on without)."""
    path = processed_dir(release, work_dir) / "topics.parquet"
    if not path.exists() and compute:
        try:
            from .. import topics

            topics.run([release], work_dir)
        except Exception as exc:  # noqa: BLE001 - any failure of the optional topics stage: go on without
            return None, f"the topics stage failed on {release}: {type(exc).__name__}: {exc}"
    if not path.exists():
        return None, "the topics stage has not run"
    return path, ""


def pick_release(available: list[str], release: str | None, country: str) -> str:
    """The release a case study reads: ``release`` if given; else the one whose id names ``country``
    (``china_052020``, ``synth_china_052020``…); else the only release there is."""
    if release:
        return release
    named = [r for r in available if country.lower() in r.lower()]
    if len(named) == 1:
        return named[0]
    if len(available) == 1:
        return available[0]
    raise ValueError(f"cannot tell which release to study among {named or available}: pass it as the "
                     f"`release` parameter (papermill -p release <id>)")


def load(release: str, ws: Workspace | None = None, timezone: str | None = None, topics: bool = True) -> CaseData:
    """Everything the case-study detectors need for one release of ``ws`` (None: the default ``Workspace()``; run
    ``ws.prepare`` first): the accounts in pandas, the tweets and topics as DuckDB views over the processed Parquet
    (nothing else is read), and the planted ground truth where there is one."""
    ws = Workspace() if ws is None else ws
    work_dir = ws.work_dir
    parts = tuple(store.partitions(store.table_path(release, "tweets", work_dir=work_dir)))
    items = {}
    for table in ITEM_TABLES:
        try:
            items[table] = tuple(store.partitions(store.table_path(release, table, work_dir=work_dir)))
        except FileNotFoundError:  # written by the clean stage with the tweets; without it, lists are unnested
            continue
    acc = store.read(release, "accounts", work_dir=work_dir).sort_values("userid").reset_index(drop=True)
    assigned, note = topic_assignments(release, work_dir) if topics else (None, "topics not requested")
    return CaseData(release, acc, ws.truth(release), timezone or guess_timezone(release), work_dir, note, parts,
                    assigned, item_files=items)


@dataclass
class Finding:
    """What a detector found: flagged ``accounts`` (``userid`` + evidence columns), optionally flagged
    ``tweets``, a supporting ``table``, a one-line ``evidence`` statement, or ``applicable=False`` and
    the reason. ``roles`` are the planted roles it is scored against on synthetic data."""

    name: str
    applicable: bool
    evidence: str
    accounts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"userid": pd.Series([], dtype=object)}))
    tweets: pd.DataFrame | None = None
    table: pd.DataFrame | None = None
    roles: tuple[str, ...] = ()

    @property
    def flagged(self) -> list[str]:
        return sorted(self.accounts["userid"].astype(str)) if self.applicable else []

    @property
    def n_accounts(self) -> int:
        return len(self.flagged)

    @property
    def n_tweets(self) -> int:
        return 0 if self.tweets is None or not self.applicable else len(self.tweets)

    def summary(self) -> str:
        if not self.applicable:
            return f"{self.name}: not applicable: {self.evidence}"
        tw = f", {self.n_tweets} tweets" if self.tweets is not None else ""
        return f"{self.name}: flags {self.n_accounts} accounts{tw}. Evidence: {self.evidence}"

    def __repr__(self) -> str:
        return self.summary()

    def score(self, truth: GroundTruth | None) -> dict | None:
        """Precision/recall/F1 of the flagged accounts against the planted ``roles`` (every other account
        of the release is a negative); ``None`` without ground truth or roles."""
        if truth is None or not self.roles or not self.applicable:
            return None
        return score_roles(self.flagged, truth, self.roles)


def not_applicable(name: str, reason: str, roles: tuple[str, ...] = ()) -> Finding:
    return Finding(name, False, reason, roles=roles)


def score_roles(flagged: list[str], truth: GroundTruth | None, roles: tuple[str, ...]) -> dict | None:
    """Score flagged accounts against planted *roles* by reusing ``coordination.evaluate.score_accounts``:
    accounts with one of ``roles`` are the positives, all other accounts of the release the negatives."""
    if truth is None:
        return None
    return score_accounts(flagged, role_truth(truth, roles))


def role_truth(truth: GroundTruth, roles: tuple[str, ...]) -> GroundTruth:
    """``truth`` with accounts of ``roles`` as the one planted group and every other account as a control (what
    :func:`score_roles` scores against; the per-tweet table is not read)."""
    a = truth.accounts
    pos = a["role"].isin(roles).to_numpy()
    proxy = pd.DataFrame({"userid": a["userid"], "group": np.where(pos, "target", ""),
                          "group_kind": np.where(pos, "target", ""), "is_control": ~pos})
    return truth.with_accounts(proxy)


def _interval(low: float, high: float) -> str:
    return "n/a" if pd.isna(low) else f"{low:.2f}-{high:.2f}"


def score_table(findings: dict[str, Finding], truth: GroundTruth | None) -> pd.DataFrame | None:
    """One row per applicable detector: the roles it targets, their planted accounts (positives; every other
    account of the release is a negative), accounts flagged, false positives, precision and recall with
    Wilson 95% intervals, F1, and the F1 of two baselines without skill on the same accounts (flag every
    account; flag as many at random). A detector whose roles were not planted in the release still shows
    what it flagged: every flag there is a false positive."""
    if truth is None:
        return None
    rows = []
    for key, f in findings.items():
        s = f.score(truth)
        if s is None:
            continue
        rows.append({"detector": key, "planted roles": ", ".join(f.roles), "positives": s["n_positive"],
                     "negatives": s["n_negative"], "flagged": f.n_accounts, "false positives": s["fp"],
                     "precision": round(s["precision"], 3),
                     "precision 95% CI": _interval(s["precision_low"], s["precision_high"]),
                     "recall": round(s["recall"], 3), "recall 95% CI": _interval(s["recall_low"], s["recall_high"]),
                     "f1": round(s["f1"], 3), "f1 flag-all": round(s["flag_all_f1"], 3),
                     "f1 random": round(s["random_f1"], 3)})
    return pd.DataFrame(rows).set_index("detector") if rows else None


def print_score(finding: Finding, truth: GroundTruth | None) -> None:
    """The line a notebook prints after a detector: its score, or why there is none."""
    if truth is None:
        print(f"{finding.name}: no ground truth (real data); not scored")
    elif not finding.applicable:
        print(f"{finding.name}: not applicable, not scored")
    else:
        s = finding.score(truth)
        print(f"{finding.name} vs planted role(s) {', '.join(finding.roles)}: precision {s['precision']:.3f}, "
              f"recall {s['recall']:.3f}, F1 {s['f1']:.3f} ({s['tp']} of {s['n_positive']} found, {s['fp']} false)")


def label_narratives(tweets: pd.DataFrame, lexicon: dict[str, tuple[str, ...]]) -> pd.Series:
    """Deprecated re-export for the Russia and Turkey chapters: :func:`.narratives.label_frame`."""
    from .narratives import label_frame

    return label_frame(tweets, lexicon)
