"""The coordination stage in bounded memory: every trace computed from the processed Parquet partitions with
DuckDB (only the columns it needs, spilled to a temp folder past ``MEMORY_LIMIT``), never a whole release in pandas.

* **Windowed co-activity traces** (co-retweet, co-tweet, co-URL, co-hashtag, co-mention) and the hashtag-sequence
  projection: DuckDB writes the trace's events ``userid, tweetid, key, tweet_time`` hash-partitioned *on the key*
  into buckets of about ``BUCKET_EVENTS`` events (``COPY ... PARTITION_BY``); every co-occurrence has one key, so it
  lies inside one bucket, and the unchanged engine (``cooccurrence``) runs on one bucket at a time. The directed
  weight counts *distinct messages*: a message whose keys (URLs, hashtags ...) fall in two buckets would be counted
  twice, so for those messages each bucket writes its distinct ``(message, partner)`` matches and DuckDB counts them
  distinct; all other messages' counts add up across buckets. The undirected fold (``cooccurrence.undirected``:
  min of both directions) runs in DuckDB on the summed directed table, whose size is bounded by account pairs.
* **Near-duplicate** (MinHash + LSH): signatures partition by partition (a signature depends only on its text and
  the seed), written with their LSH band buckets; for each band, the documents whose bucket is shared are
  hash-partitioned on the bucket and window-joined bucket by bucket; the ``(message, partner)`` matches of all bands
  are counted distinct by DuckDB.
* **TF-IDF retweet**: DuckDB counts ``(account, retweeted tweet)`` cells with integer codes (accounts in id order,
  keys in first-appearance order: the matrix of ``tfidf.account_trace_matrix``); the cosine step is unchanged.
* **Fast retweets, rings, amplification, amplifiers**: DuckDB aggregations per account pair, computed once and
  shared (``groups.rings_from_counts``, ``groups.amplifiers_from_counts``).

Every result is ordered before it leaves DuckDB, and bucket assignment only groups work (it never changes a
count), so outputs equal those of ``traces.compute`` on the whole table, byte for byte.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..paths import processed_dir
from ..store import ordered_sql, partitions
from .cooccurrence import (
    Events,
    _codes,
    _sorted_counts,
    coded,
    directed_weights,
    iter_event_pairs,
    make_events,
    to_seconds,
)
from .minhash import _distinct, doc_signatures, lsh_params, similar_matches
from .networks import check_seconds
from .tfidf import count_matrix, tfidf_edges
from .traces import NOT_RETWEETS

MEMORY_LIMIT = "4GB"  # DuckDB's own memory; it spills to the stage's scratch folder beyond it (2GB ran out at 37M)
THREADS = 2
BUCKET_EVENTS = 2_000_000  # events per bucket of a windowed trace (a key's events are never split)
BUCKET_DOCS = 1_000_000  # documents per bucket of one LSH band
# rows a thread buffers per output file of a PARTITION_BY write (DuckDB's default, 524,288, times 2 threads times
# 20 buckets of hashtag events ran out of the memory limit at 37M tweets)
FLUSH_ROWS = 65_536
_NOT_RT = "(" + ", ".join(f"'{k}'" for k in NOT_RETWEETS) + ")"
_SEC = "(epoch_ms(tweet_time) // 1000)"  # to_seconds: whole seconds (timestamps are after 1970)
ONE_EVENT_TRACES = ("co_retweet", "co_tweet", "tfidf_retweet")  # what Release.coded_events reads
_MATCHES = pa.schema([("mid", pa.int64()), ("u1", pa.int32()), ("u2", pa.int32())])


def _q(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _objects(table: pa.Table) -> pd.DataFrame:
    """A pandas frame of ``table`` with strings as object arrays (the dtypes the pandas code produces); each
    distinct string is one Python object (an edge table names each account many times)."""
    cols = {}
    for c in table.column_names:
        col = table[c]
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            enc = col.combine_chunks().dictionary_encode()
            uniques = np.asarray(enc.dictionary.to_pylist(), dtype=object)
            cols[c] = uniques[enc.indices.to_numpy(zero_copy_only=False)] if len(enc) else uniques[:0]
        else:
            cols[c] = col.to_numpy()
    return pd.DataFrame(cols)


class Release:
    """The processed tweets of one release as a DuckDB view ``tweets`` (plus ``ord``: partition and row, the file
    order), with a database, spill folder and bucket files in ``scratch``."""

    def __init__(self, release: str, work_dir: str | Path, scratch: Path) -> None:
        import duckdb

        self.scratch = scratch
        scratch.mkdir(parents=True, exist_ok=True)
        self.files = partitions(processed_dir(release, work_dir) / "tweets")
        self.con = duckdb.connect(str(scratch / "coordination.duckdb"))
        self.con.execute(f"SET threads = {THREADS}; SET memory_limit = '{MEMORY_LIMIT}'; "
                         f"SET temp_directory = {_q(scratch / 'spill')}; SET preserve_insertion_order = false; "
                         f"SET enable_progress_bar = false; SET partitioned_write_flush_threshold = {FLUSH_ROWS}")
        self.con.execute(f"CREATE VIEW tweets AS {ordered_sql(self.files)}")
        self.con.execute("CREATE TABLE users AS SELECT userid, CAST(row_number() OVER (ORDER BY userid) - 1 AS "
                         "INTEGER) AS code FROM (SELECT DISTINCT userid FROM tweets WHERE userid IS NOT NULL)")
        self.userids = np.asarray(self.sql("SELECT userid FROM users ORDER BY code")["userid"].to_pylist(), object)

    def codes(self, users: np.ndarray) -> np.ndarray:
        """The release-wide codes (``users`` table) of sorted userids."""
        return np.searchsorted(self.userids, users).astype(np.int32)

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self) -> Release:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sql(self, query: str) -> pa.Table:
        """The result of ``query`` in its ORDER BY order (with ``preserve_insertion_order = false`` an ordered
        result fetched through ``execute`` came back as out-of-order chunks: DuckDB 2.0.0)."""
        self.con.execute("SET preserve_insertion_order = true")
        try:
            return self.con.sql(query).to_arrow_table()
        finally:
            self.con.execute("SET preserve_insertion_order = false")

    def frame(self, query: str) -> pd.DataFrame:
        return _objects(self.sql(query))

    def folder(self, name: str) -> Path:
        d = self.scratch / name
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        return d

    # --- events of the windowed traces ---------------------------------------------------------------------

    def retweet_events(self) -> None:
        """Table ``ev_retweet``: ``networks.co_retweet_events`` (key: the retweeted id, or the fallback
        ``rt:<account>|<text>`` where it is missing or lossy), with ``ord``; shared by co-retweet and TF-IDF."""
        who = "coalesce(rt_userid, '@' || rt_screen_name)"
        self.con.execute(f"""
            CREATE OR REPLACE TABLE ev_retweet AS
            SELECT userid, tweetid, tweet_time, ord,
                   CASE WHEN retweet_tweetid IS NULL OR coalesce(has_lossy_ref, false)
                        THEN 'rt:' || {who} || '|' || coalesce(text_norm, '') ELSE retweet_tweetid END AS key
            FROM tweets WHERE tweet_kind = 'retweet'""")
        self.con.execute("DELETE FROM ev_retweet WHERE key IS NULL")

    def events_sql(self, trace: str, ord: bool = False) -> str:
        """The SQL of a trace's events ``userid, tweetid, key, tweet_time`` (rows with a key only; with ``ord``, and
        ``ord`` for the traces of one event per tweet)."""
        o = ", ord" if ord else ""
        if trace in ("co_retweet", "tfidf_retweet"):
            return f"SELECT userid, tweetid, key, tweet_time{o} FROM ev_retweet"
        if trace == "co_tweet":
            return (f"SELECT userid, tweetid, text_norm AS key, tweet_time{o} FROM tweets "
                    f"WHERE tweet_kind IN {_NOT_RT} AND text_norm IS NOT NULL AND text_norm <> ''")
        if trace == "hashtag_sequence":
            return (f"SELECT userid, tweetid, array_to_string(hashtags, ' ') AS key, tweet_time FROM tweets "
                    f"WHERE tweet_kind IN {_NOT_RT} AND len(hashtags) >= 2")
        column = {"co_url": "urls", "co_hashtag": "hashtags", "co_mention": "user_mentions"}[trace]
        return (f"SELECT * FROM (SELECT userid, tweetid, unnest({column}) AS key, tweet_time FROM tweets "
                f"WHERE tweet_kind IN {_NOT_RT}) WHERE key IS NOT NULL AND key <> ''")

    def buckets(self, trace: str) -> list[Path]:
        """The trace's events hash-partitioned on the key into Parquet folders, one per bucket, with ``mid``: a
        number for each message with keys in several buckets (null for the others)."""
        src = self.events_sql(trace)
        n = self.con.execute(f"SELECT count(*) FROM ({src})").fetchone()[0]
        k = max(1, math.ceil(n / BUCKET_EVENTS))
        d = self.folder(f"ev_{trace}")
        bucket = f"SELECT *, CAST(hash(key) % {k} AS INTEGER) AS b FROM ({src})"
        if trace in ONE_EVENT_TRACES:  # one key per message: no message spans two buckets
            self.con.execute(f"COPY (SELECT *, CAST(NULL AS BIGINT) AS mid FROM ({bucket})) "
                             f"TO {_q(d)} (FORMAT parquet, PARTITION_BY (b))")
            return sorted(d.glob("b=*"))
        # one large operator per statement, tables in between (they spill): the messages in several buckets, the
        # events with their number, then the partitioned write alone (a join feeding the partitioned write ran out of
        # DuckDB's memory limit at 37M tweets, though not every time)
        self.con.execute(f"CREATE OR REPLACE TABLE spans AS SELECT tweetid, row_number() OVER () AS mid "
                         f"FROM ({bucket}) GROUP BY tweetid HAVING min(b) <> max(b)")
        self.con.execute(f"CREATE OR REPLACE TABLE bucketed AS SELECT e.*, spans.mid FROM ({bucket}) e "
                         f"LEFT JOIN spans USING (tweetid)")
        self.con.execute("DROP TABLE spans")
        self.con.execute(f"COPY bucketed TO {_q(d)} (FORMAT parquet, PARTITION_BY (b))")
        self.con.execute("DROP TABLE bucketed")
        return sorted(d.glob("b=*"))

    def coded_events(self, trace: str, ids: bool = True) -> Events:
        """``traces.events`` of the trace's rows and columns, for a trace of one event per tweet
        (``ONE_EVENT_TRACES``), coded by DuckDB: the same arrays as ``cooccurrence.make_events`` (accounts in id
        order, messages and keys in order of first appearance, events in file order) without reading the release
        into pandas. With ``ids`` False the message ids and keys are placeholders (only their number is kept:
        what the null model needs)."""
        if trace not in ONE_EVENT_TRACES:
            raise ValueError(f"coded_events reads traces of one event per tweet ({', '.join(ONE_EVENT_TRACES)}), "
                             f"not {trace!r}")
        if trace != "co_tweet":
            self.retweet_events()
        self.con.execute(f"CREATE OR REPLACE TABLE ev AS SELECT userid, tweetid, key, {_SEC} AS t, ord "
                         f"FROM ({self.events_sql(trace, ord=True)})")
        self.con.execute("""
            CREATE OR REPLACE TABLE ev_u AS SELECT userid, row_number() OVER (ORDER BY userid) - 1 AS uc
                FROM (SELECT DISTINCT userid FROM ev);
            CREATE OR REPLACE TABLE ev_m AS SELECT tweetid, row_number() OVER (ORDER BY min(ord)) - 1 AS mc
                FROM ev GROUP BY tweetid;
            CREATE OR REPLACE TABLE ev_k AS SELECT key, row_number() OVER (ORDER BY min(ord)) - 1 AS kc
                FROM ev GROUP BY key""")
        t = self.sql("SELECT uc, mc, kc, t FROM ev JOIN ev_u USING (userid) JOIN ev_m USING (tweetid) "
                     "JOIN ev_k USING (key) ORDER BY ord")
        user, msg, key, time = (t[c].to_numpy().astype(np.int64) for c in ("uc", "mc", "kc", "t"))
        del t
        users = np.asarray(self.sql("SELECT userid FROM ev_u ORDER BY uc")["userid"].to_pylist(), object)
        if ids:
            msgs, keys = (pd.array(self.sql(f"SELECT {c} FROM {tab} ORDER BY {o}")[c].combine_chunks(), dtype="str")
                          for c, tab, o in (("tweetid", "ev_m", "mc"), ("key", "ev_k", "kc")))
        else:
            n_msgs, n_keys = (self.con.execute(f"SELECT count(*) FROM {tab}").fetchone()[0] for tab in ("ev_m", "ev_k"))
            msgs, keys = np.zeros(n_msgs, np.int8), np.zeros(n_keys, np.int8)
        self.con.execute("DROP TABLE ev; DROP TABLE ev_u; DROP TABLE ev_m; DROP TABLE ev_k")
        return coded(user, msg, key, time, users, msgs, keys)

    # --- windowed co-activity and the projection -----------------------------------------------------------

    def co_network(self, trace: str, window: float | None, min_weight: int) -> pd.DataFrame:
        """``networks.co_network(events(trace), window, min_weight)``, bucket by bucket."""
        check_seconds("window", window)
        folders = self.buckets(trace)
        out = self.folder(f"pairs_{trace}")
        for i, f in enumerate(folders):
            df = pq.read_table(f).to_pandas()
            ev = make_events(df["userid"], df["tweetid"], df["key"], df["tweet_time"])
            codes = self.codes(ev.users)
            if window is None:
                u1, u2, w = projection_codes(ev)
                pq.write_table(pa.table({"u1": codes[u1], "u2": codes[u2], "weight": w}), out / f"p-{i}.parquet")
                continue
            msg, _ = _codes(df["tweetid"], sort=False, objects=False)  # make_events' message codes
            mid = np.full(len(ev.msgs), -1, np.int64)
            mid[msg] = df["mid"].fillna(-1).to_numpy(np.int64)
            del df
            with pq.ParquetWriter(out / f"m-{i}.parquet", _MATCHES) as writer:
                u1, u2, w = _bucket_directed(ev, window, mid, codes, writer)
            pq.write_table(pa.table({"u1": codes[u1], "u2": codes[u2], "weight": w}), out / f"d-{i}.parquet")
            del ev
        shutil.rmtree(folders[0].parent, ignore_errors=True) if folders else None
        if not folders:
            return _empty(object if window is None else "str")
        if window is None:
            return self.edges(f"""
                SELECT u1 AS s, u2 AS t, CAST(sum(weight) AS BIGINT) AS weight FROM read_parquet({_q(out / 'p-*')})
                GROUP BY ALL HAVING sum(weight) >= {int(min_weight)} ORDER BY s, t""")
        return self.undirected(f"""
            SELECT u1, u2, sum(weight) AS weight FROM (
                SELECT u1, u2, weight FROM read_parquet({_q(out / 'd-*')})
                UNION ALL
                SELECT u1, u2, count(*) FROM (SELECT DISTINCT * FROM read_parquet({_q(out / 'm-*')})) GROUP BY ALL)
            GROUP BY ALL""", min_weight)

    def undirected(self, directed: str, min_weight: int) -> pd.DataFrame:
        """``cooccurrence.undirected`` of the directed table ``u1, u2, weight`` (account codes) given as SQL: codes
        follow the sorted userids, so the smaller code is the source."""
        e = self.edges(f"""
            SELECT least(u1, u2) AS s, greatest(u1, u2) AS t, CAST(min(weight) AS BIGINT) AS weight
            FROM ({directed}) WHERE u1 <> u2 GROUP BY ALL
            HAVING count(*) = 2 AND min(weight) >= {int(min_weight)} ORDER BY s, t""")
        return e if len(e) else _empty("str")

    def edges(self, query: str) -> pd.DataFrame:
        """``source, target, weight`` from a query of ``s, t, weight`` (account codes, in code order = id order);
        the ids are the ``userids`` objects themselves (millions of edges name a few thousand accounts)."""
        t = self.sql(query)
        return pd.DataFrame({"source": self.userids[t["s"].to_numpy()], "target": self.userids[t["t"].to_numpy()],
                             "weight": t["weight"].to_numpy()})

    # --- near-duplicate -------------------------------------------------------------------------------------

    def near_duplicate(self, window: float | None, threshold: float, min_weight: int, num_perm: int = 64,
                       min_tokens: int = 5, seed: int = 2020) -> pd.DataFrame:
        """``minhash.near_duplicate`` partition by partition and band by band. The signatures (``4 * num_perm`` bytes a
        document) go to one flat file, row ``doc``, read back only for the documents of each band bucket: the
        band tables DuckDB groups, sorts and writes carry the document number, never the signature."""
        check_seconds("window", window)
        bands, rows = lsh_params(threshold, num_perm)
        mult = np.random.default_rng(seed + 1).integers(1, 2**63, rows, dtype=np.uint64) | np.uint64(1)
        docs_dir = self.folder("nd_docs")
        sig_file = self.folder("nd_sigs") / "signatures.u32"
        cols = ["tweetid", "userid", "tweet_time", "tweet_kind", "text_norm"]
        n_docs = 0
        with sig_file.open("wb") as out:
            for i, f in enumerate(self.files):  # documents numbered in the order they are met
                t = pq.read_table(f, columns=cols, filters=[("tweet_kind", "in", list(NOT_RETWEETS))]).to_pandas()
                docs, sig = doc_signatures(t, num_perm, min_tokens, seed)
                del t
                if docs.empty:
                    continue
                table = pa.table({"doc": pa.array(np.arange(n_docs, n_docs + len(docs)), pa.int64()),
                                  "userid": pa.array(docs["userid"].to_numpy(object), pa.string()),
                                  "t": pa.array(to_seconds(docs["tweet_time"]), pa.int64())})
                out.write(np.ascontiguousarray(sig, dtype=np.uint32).tobytes())
                n_docs += len(docs)
                with np.errstate(over="ignore"):
                    for b in range(bands):
                        v = ((sig[:, b * rows:(b + 1) * rows].astype(np.uint64) * mult).sum(axis=1, dtype=np.uint64)
                             + np.uint64(b) * np.uint64(0x9E3779B97F4A7C15))
                        table = table.append_column(f"b{b}", pa.array(v, pa.uint64()))
                pq.write_table(table, docs_dir / f"part-{i:05d}.parquet")
        if not n_docs:
            return _empty()
        sigs = np.memmap(sig_file, dtype=np.uint32, mode="r", shape=(n_docs, num_perm))
        docs = _q(docs_dir / "*.parquet")
        match_dir = self.folder("nd_matches")
        k = max(1, math.ceil(n_docs / BUCKET_DOCS))
        for b in range(bands):  # a bucket shared by two documents or more; a lone one pairs a text with itself only
            d = self.folder("nd_band")
            self.con.execute(f"""
                CREATE OR REPLACE TABLE band AS
                SELECT doc, userid, t, b{b} AS bucket, CAST(hash(b{b}) % {k} AS INTEGER) AS h
                FROM read_parquet({docs})
                WHERE b{b} IN (SELECT b{b} FROM read_parquet({docs}) GROUP BY 1 HAVING count(*) > 1)""")
            self.con.execute(f"COPY band TO {_q(d)} (FORMAT parquet, PARTITION_BY (h))")  # the write alone
            self.con.execute("DROP TABLE band")
            for j, f in enumerate(sorted(d.glob("h=*"))):
                pq.write_table(_band_matches(pq.read_table(f), sigs, window, threshold, self),
                               match_dir / f"b{b}-{j}.parquet")
            shutil.rmtree(d)
        del sigs
        shutil.rmtree(docs_dir)
        shutil.rmtree(sig_file.parent)
        if not any(match_dir.iterdir()):
            return _empty()
        return self.undirected(f"SELECT u1, u2, count(*) AS weight FROM (SELECT DISTINCT * "
                               f"FROM read_parquet({_q(match_dir / '*.parquet')})) GROUP BY ALL", min_weight)

    # --- TF-IDF retweet ---------------------------------------------------------------------------------------

    def tfidf_retweet(self, threshold: float, min_traces: int = 3) -> pd.DataFrame:
        """``tfidf.tfidf_network(co_retweet_events(tweets), threshold)`` from DuckDB's cell counts."""
        t = self.sql("""
            WITH c AS (SELECT userid, key, count(*) AS n, min(ord) AS f0 FROM ev_retweet GROUP BY ALL),
                 k AS (SELECT key, row_number() OVER (ORDER BY min(f0)) - 1 AS kc FROM c GROUP BY key),
                 u AS (SELECT userid, row_number() OVER (ORDER BY userid) - 1 AS uc FROM c GROUP BY userid)
            SELECT u.uc, k.kc, c.n FROM c JOIN u USING (userid) JOIN k USING (key)""")
        users = self.sql("SELECT DISTINCT userid FROM ev_retweet ORDER BY userid")["userid"]
        n_keys = self.con.execute("SELECT count(DISTINCT key) FROM ev_retweet").fetchone()[0]
        x, rows = count_matrix(t["uc"].to_numpy(), t["kc"].to_numpy(), t["n"].to_numpy(),
                               np.asarray(users.to_pylist(), dtype=object), n_keys, min_traces)
        del t
        return tfidf_edges(x, rows, threshold)

    # --- per account pair: fast retweets and retweets of accounts ------------------------------------------

    def fast_retweet_counts(self, max_delay: float) -> pd.DataFrame:
        """``userid, original_userid, n``: retweets of another account's tweet in the release within
        ``max_delay`` seconds (``networks.retweet_delays``; lossy ids skipped), by pair, sorted."""
        check_seconds("max_delay", max_delay)
        self.con.execute("SET threads = 1")  # at 37M the two-thread join ran out of its 2 GB without spilling
        self.con.execute(f"""
            CREATE OR REPLACE TABLE fast AS
            WITH r AS (SELECT userid, retweet_tweetid, {_SEC} AS s FROM tweets
                       WHERE tweet_kind = 'retweet' AND retweet_tweetid IS NOT NULL
                         AND NOT coalesce(has_lossy_ref, false)),
                 o AS (SELECT tweetid, userid, {_SEC} AS s FROM tweets WHERE tweet_kind IS DISTINCT FROM 'retweet')
            SELECT r.userid, o.userid AS original_userid, count(*) AS n
            FROM r JOIN o ON r.retweet_tweetid = o.tweetid
            WHERE r.s - o.s BETWEEN 0 AND {float(max_delay)} AND r.userid IS NOT NULL AND o.userid IS NOT NULL
              AND r.userid <> o.userid
            GROUP BY ALL""")  # the join and aggregation spill; insertion order is kept only for the small result
        self.con.execute(f"SET threads = {THREADS}")
        return self.frame("SELECT * FROM fast ORDER BY userid, original_userid")

    def account_counts(self) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
        """Per account ``n_tweets, n_retweets`` (index: sorted userid), retweets of known accounts per pair
        ``userid, rt_userid, n`` (sorted), and the release's userids."""
        self.con.execute("""CREATE OR REPLACE TABLE per AS SELECT userid, count(*) AS n_tweets,
                                   CAST(count(*) FILTER (WHERE tweet_kind = 'retweet') AS BIGINT) AS n_retweets
                            FROM tweets WHERE userid IS NOT NULL GROUP BY userid""")
        self.con.execute("""CREATE OR REPLACE TABLE cnt AS SELECT userid, rt_userid, count(*) AS n FROM tweets
                            WHERE tweet_kind = 'retweet' AND rt_userid IS NOT NULL AND userid IS NOT NULL
                            GROUP BY ALL""")
        per = self.frame("SELECT * FROM per ORDER BY userid")
        cnt = self.frame("SELECT * FROM cnt ORDER BY userid, rt_userid")
        per = per.set_index("userid")
        return per, cnt, per.index.to_numpy(object)


def _empty(dtype: str | type = object) -> pd.DataFrame:
    """No edges; ``dtype`` of the ids as the pandas code leaves them (``str`` after ``cooccurrence.undirected``'s
    groupby), so that the written file's pandas metadata is the same too."""
    return pd.DataFrame({"source": pd.Series([], dtype=dtype), "target": pd.Series([], dtype=dtype),
                         "weight": pd.Series([], dtype=np.int64)})


def projection_codes(ev: Events) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``cooccurrence.projection_weights`` as (account code, account code, weight) arrays, unsorted."""
    import scipy.sparse as sp

    if len(ev) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    b = sp.csr_matrix((np.ones(len(ev), dtype=np.int64), (ev.user, ev.key)), shape=(ev.n_users, len(ev.keys)))
    b.data[:] = 1
    p = sp.triu(b @ b.T, k=1).tocoo()
    return p.row, p.col, p.data.astype(np.int64)


def _bucket_directed(ev: Events, window: float | None, mid: np.ndarray, codes: np.ndarray,
                     writer: pq.ParquetWriter) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One bucket's directed weights ``(user_1, user_2, weight)`` (bucket account codes) of the messages whose keys
    all lie in this bucket; the distinct ``(message, partner)`` matches of the others (``mid >= 0``) go to
    ``writer`` as ``mid, u1, u2`` (release-wide codes), chunk by chunk (a message's pairs are in one chunk)."""
    nu = np.int64(max(ev.n_users, 1))
    if not (mid >= 0).any():
        d = directed_weights(ev, window, 1)
        u = pd.Index(ev.users)
        return u.get_indexer(d["user_1"]), u.get_indexer(d["user_2"]), d["weight"].to_numpy(np.int64)
    pair_parts, count_parts = [], []
    for i, j in iter_event_pairs(ev, window):
        mu = _distinct(ev.msg[i] * nu + ev.user[j])  # distinct (message of u1, partner account)
        m = mu // nu
        multi = mid[m] >= 0
        pairs, cnt = _sorted_counts(ev.msg_user[m[~multi]] * nu + mu[~multi] % nu)
        pair_parts.append(pairs)
        count_parts.append(cnt)
        mm = m[multi]
        writer.write_table(pa.table({"mid": mid[mm], "u1": codes[ev.msg_user[mm]], "u2": codes[mu[multi] % nu]},
                                    schema=_MATCHES))
        if sum(map(len, pair_parts)) > 50_000_000:  # fold the parts (bounded by account pairs)
            pairs, inv = np.unique(np.concatenate(pair_parts), return_inverse=True)
            pair_parts, count_parts = [pairs], [np.bincount(inv, weights=np.concatenate(count_parts)).astype(np.int64)]
    if not pair_parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    pairs, inv = np.unique(np.concatenate(pair_parts), return_inverse=True)
    weight = np.bincount(inv, weights=np.concatenate(count_parts)).astype(np.int64)
    return pairs // nu, pairs % nu, weight


def _band_matches(t: pa.Table, sigs: np.ndarray, window: float | None, threshold: float, src: Release,
                  chunk_pairs: int = 4_000_000) -> pa.Table:
    """Distinct ``(doc, u1, u2)``: a document of ``u1`` whose band bucket and window it shares with a document of
    ``u2`` at estimated Jaccard ``>= threshold`` (the band loop of ``minhash.near_duplicate``; release-wide
    account codes). ``sigs``: every document's signature, row ``doc``."""
    n = t.num_rows
    sig = np.asarray(sigs[t["doc"].to_numpy()])  # this bucket's signatures, in the table's row order
    doc_user, users = _codes(t["userid"].to_pandas(), sort=True)
    key, _ = pd.factorize(t["bucket"].to_numpy())
    ev = Events(doc_user, np.arange(n, dtype=np.int64), key.astype(np.int64), t["t"].to_numpy(), users,
                np.arange(n), doc_user, np.zeros(0))
    nu = np.int64(max(len(users), 1))
    found = []
    for i, j in iter_event_pairs(ev, window, chunk_pairs):
        found.append(similar_matches(i, j, sig, doc_user, nu, threshold))
    mu = _distinct(np.concatenate(found)) if found else np.zeros(0, np.int64)
    d = mu // nu
    codes = src.codes(users)
    return pa.table({"doc": t["doc"].to_numpy()[d], "u1": codes[doc_user[d]], "u2": codes[mu % nu]})
