"""Narrative labels of every tweet, for every lexicon, computed once per release and read by every detector.

Tokenising tweets is what keyword labelling costs, so it happens once per distinct text: one scan per partition
finds the distinct texts (text and hashtags: retweets repeat their original's), tokenises each that may contain a
keyword of any lexicon (the regular expression of :func:`.narratives.prefilter_regex`), counts each narrative's
keyword hits once (:func:`.narratives.hits_sql`) and derives the label of every lexicon from those counts (the
same labels as ``label_sql`` of each lexicon alone), then joins the labels back to the tweets in file order.
Lexicons (:func:`lexicons`): each bundled campaign file's narratives (``data/campaigns/*.yaml``, read into
``lexicon.NARRATIVES``: ``china``, ``russia``, ``turkey``) and ``all``, every campaign's narratives together named
``<campaign>:<narrative>``. A user's own campaign file is labelled by the queries that use it
(:func:`.narratives.labelled_sql`), not here.

The table holds ``tweetid, userid, tweet_time`` and one nullable label column per lexicon, one row per tweet.
:class:`.base.CaseData` exposes it as the DuckDB view ``labels`` on first use:

- releases on disk: a stage, ``processed/<release>/labels/`` (one Parquet file per partition of the processed
  tweets, in order), built by :func:`ensure` with the discipline of the other stages (``ioa_utils.stageio``): under
  the release lock, stamped with the processed stage's stamp, the lexicons (the campaign files' narratives: editing a
  file relabels) and the code of this module, the narratives and the lexicon (``stages._CODE["labels"]``), built in a
  temp folder, verified (rows per partition == tweets) and swapped in; a fresh one is reused;
- in-memory releases (``CaseData.from_frames``, tests): the same SQL into a temporary DuckDB table, once per
  ``CaseData``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import stageio
from ..paths import DATA_DIR, processed_dir
from ..store import partitions
from .lexicon import NARRATIVES
from .narratives import _tweet_texts, hits_sql, prefilter_regex, text_sql, tokens_sql

NAME = "labels"
ALL = "all"
KEYS = ("tweetid", "userid", "tweet_time")


def all_narratives() -> dict[str, tuple[str, ...]]:
    """Every campaign's narratives in one lexicon, ``<campaign>:<narrative>`` -> keywords."""
    return {f"{c}:{k}": v for c, lex in NARRATIVES.items() for k, v in lex.items()}


def lexicons() -> dict[str, dict[str, tuple[str, ...]]]:
    """The lexicons labelled, by label column: each campaign's, and ``all``."""
    return {**NARRATIVES, ALL: all_narratives()}


def column(lexicon: str) -> str:
    """The (quoted) label column of ``lexicon`` in the view ``labels``."""
    if lexicon not in lexicons():
        raise KeyError(f"no labels for lexicon {lexicon!r}; lexicons: {', '.join(lexicons())}")
    return '"' + lexicon.replace('"', '""') + '"'


def _best_sql(names: list[str], hits: str) -> str:
    """SQL expression: the name of the largest of ``hits`` (a list), ties to the first; NULL when all are 0."""
    quoted = "[" + ", ".join("'" + k.replace("'", "''") + "'" for k in names) + "]"
    return f"CASE WHEN list_max({hits}) > 0 THEN {quoted}[list_position({hits}, list_max({hits}))] END"


def _label_struct_sql(text: str) -> str:
    """SQL expression: the struct of every lexicon's label of ``text`` (the raw text of :func:`_raw_text_sql`).
    Each keyword list is matched once: every campaign's hits are a slice of the ``all`` lexicon's hits (its
    entries are the campaigns' in order), so the labels are those of ``tokens_label_sql`` of each lexicon."""
    entries = all_narratives()
    words = [w for ws in entries.values() for w in ws]
    pre = prefilter_regex(words)
    if pre is None:
        return "NULL"
    fields, start = [], 1
    for name, lex in NARRATIVES.items():
        fields.append(f"{column(name)} := {_best_sql(list(lex), f'h[{start}:{start + len(lex) - 1}]')}")
        start += len(lex)
    fields.append(f"{column(ALL)} := {_best_sql(list(entries), 'h')}")
    hits = "[" + ", ".join(hits_sql("t", v) for v in entries.values()) + "]"
    tokens = f"CASE WHEN regexp_matches({text_sql(text)}, '{pre}') THEN {tokens_sql(text)} END"
    return (f"list_transform([{tokens}], lambda t: CASE WHEN t IS NOT NULL THEN "
            f"list_transform([{hits}], lambda h: struct_pack({', '.join(fields)}))[1] END)[1]")


def _raw_text_sql(text: str = "text_norm", hashtags: str = "hashtags") -> str:
    """SQL expression: what a tweet's labels depend on, its text and ``#`` + hashtags joined (not lower-cased:
    :func:`.narratives.text_sql` of it is exactly the text the narratives' SQL tokenises)."""
    return " || ' ' || ".join(f"coalesce({t}, '')" for t in _tweet_texts(text, hashtags))


def select_sql(source: str = "tweets", order: str | None = None) -> str:
    """SQL query: ``tweetid, userid, tweet_time`` and every lexicon's label of each tweet of ``source`` (a
    relation with ``text_norm`` and ``hashtags``; rows in the order of its column ``order`` if given). Each
    distinct text is labelled once (retweets repeat their original's text) and joined back to its tweets."""
    keys = ", ".join(KEYS)
    row = f", {order} AS _row" if order else ""
    return (f"WITH src AS (SELECT {keys}{row}, {_raw_text_sql()} AS _text FROM {source}), "
            f"lab AS (SELECT _text, {_label_struct_sql('_text')} AS _l FROM (SELECT DISTINCT _text FROM src)) "
            f"SELECT {keys}, unnest(_l) FROM src LEFT JOIN lab USING (_text)" + (" ORDER BY _row" if order else ""))


def folder(release: str, work_dir: str | Path = DATA_DIR) -> Path:
    return processed_dir(release, work_dir) / NAME


def stamp(release: str, work_dir: str | Path = DATA_DIR) -> dict:
    """What the labels are computed from: the processed tables' stamp, the lexicons and the code."""
    from ..stages import code_version

    src = processed_dir(release, work_dir) / stageio.STAMP
    if not src.exists():
        raise FileNotFoundError(f"{release} has no processed tables in {processed_dir(release, work_dir)}; "
                                "run stages.prepare(...) first")
    lex = hashlib.sha256(json.dumps(lexicons(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return {"stage": NAME, "code": code_version(NAME),
            "inputs": {"processed": hashlib.sha256(src.read_bytes()).hexdigest()}, "params": {"lexicons": lex}}


def _connect():
    import duckdb

    from .base import MEMORY_LIMIT, THREADS, spill_dir

    con = duckdb.connect(":memory:", config={"threads": THREADS, "memory_limit": MEMORY_LIMIT,
                                             "temp_directory": str(spill_dir()),
                                             "preserve_insertion_order": False})
    con.execute("SET enable_progress_bar = false")
    return con


def build(release: str, out: Path, work_dir: str | Path = DATA_DIR) -> None:
    """Label every partition of the processed tweets into ``out`` (one Parquet file each, in order)."""
    with _connect() as con:
        for i, part in enumerate(partitions(processed_dir(release, work_dir) / "tweets")):
            src = f"read_parquet({_sql_str(part)}, file_row_number = true)"
            con.execute(f"COPY ({select_sql(src, 'file_row_number')}) TO {_sql_str(out / _part(i))} (FORMAT parquet)")


def verify(release: str, out: Path, work_dir: str | Path = DATA_DIR) -> None:
    """Every partition of the processed tweets has its labels file with as many rows."""
    import pyarrow.parquet as pq

    from ..stages import StageCheckError

    for i, part in enumerate(partitions(processed_dir(release, work_dir) / "tweets")):
        got = out / _part(i)
        found = pq.ParquetFile(got).metadata.num_rows if got.exists() else -1
        expected = pq.ParquetFile(part).metadata.num_rows
        if found != expected:
            raise StageCheckError(f"labels: {got.name} holds {found} rows where the tweets hold {expected}")


def ensure(release: str, work_dir: str | Path = DATA_DIR) -> Path:
    """``processed/<release>/labels/``, built unless an up-to-date one is on disk."""
    dest = folder(release, work_dir)
    with stageio.release_lock(work_dir, release):
        want = stamp(release, work_dir)
        stageio.clean_debris(dest.parent, work_dir, [NAME])
        if not stageio.is_fresh(dest, want):
            stageio.produce(dest, work_dir, want, lambda tmp: build(release, tmp, work_dir),
                            lambda tmp: verify(release, tmp, work_dir))
    return dest


def attach(con, release: str, work_dir: str | Path, on_disk: bool) -> None:
    """Create the view ``labels`` on ``con`` (a :class:`.base.CaseData` connection with the view ``tweets``):
    over the labels stage of ``release`` when its tweets are ``on_disk``, else computed now from ``tweets``."""
    if on_disk:
        files = ", ".join(_sql_str(p) for p in partitions(ensure(release, work_dir)))
        con.execute(f"CREATE VIEW {NAME} AS SELECT * FROM read_parquet([{files}])")
    else:
        con.execute(f"CREATE TEMP TABLE {NAME} AS {select_sql('tweets')}")


def _part(i: int) -> str:
    return f"part-{i:05d}.parquet"


def _sql_str(s: str | Path) -> str:
    return "'" + str(s).replace("'", "''") + "'"
