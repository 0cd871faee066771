"""Reading the Parquet tables that the stages write.

Tables are either a single file (``<dir>/<name>.parquet``) or a dataset of partitions
(``<dir>/<name>/part-00000.parquet`` ...). Stages process one partition at a time, so the same code can
later be mapped over partitions by a distributed engine (e.g. ``dask.dataframe.read_parquet`` on the
same folders).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .paths import DATA_DIR, interim_dir, processed_dir
from .stageio import temp_path


def table_path(release: str, name: str, layer: str = "processed", work_dir: str | Path = DATA_DIR) -> Path:
    """Path of a table: the partition folder if it exists, else the single file."""
    base = (processed_dir if layer == "processed" else interim_dir)(release, work_dir)
    folder = base / name
    return folder if folder.is_dir() else base / f"{name}.parquet"


def partitions(path: Path) -> list[Path]:
    """The Parquet files of a table, in order."""
    if path.is_dir():
        return sorted(path.glob("part-*.parquet"))
    if path.exists():
        return [path]
    raise FileNotFoundError(f"no table at {path}; run the stage that writes it first")


def parquet_rows(path: Path) -> int:
    """Rows of a table (file or partition folder), from the Parquet footers (no data is read)."""
    return sum(pq.ParquetFile(p).metadata.num_rows for p in partitions(path))


def time_span(path: Path, column: str = "tweet_time") -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last value of a timestamp column of a table, from the Parquet footers' statistics (a column
    chunk without statistics is read). Figures use it to mark the periods a release covers only partly."""
    lows, highs = [], []
    for part in partitions(path):
        f = pq.ParquetFile(part)
        j = f.schema_arrow.get_field_index(column)
        for i in range(f.metadata.num_row_groups):
            st = f.metadata.row_group(i).column(j).statistics
            if st is not None and st.has_min_max:
                lows.append(pd.Timestamp(st.min))
                highs.append(pd.Timestamp(st.max))
            else:
                values = f.read_row_group(i, columns=[column]).column(0).to_pandas().dropna()
                lows += [values.min()] if len(values) else []
                highs += [values.max()] if len(values) else []
    if not lows:
        raise ValueError(f"{path}: no {column} values")
    utc = [t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC") for t in (min(lows), max(highs))]
    return utc[0], utc[1]


def iter_partitions(
    release: str,
    name: str,
    columns: Sequence[str] | None = None,
    layer: str = "processed",
    work_dir: str | Path = DATA_DIR,
) -> Iterator[pa.Table]:
    """Yield a table partition by partition (bounded memory)."""
    for part in partitions(table_path(release, name, layer, work_dir)):
        yield pq.read_table(part, columns=list(columns) if columns else None)


def read_arrow(
    release: str,
    name: str,
    columns: Sequence[str] | None = None,
    layer: str = "processed",
    work_dir: str | Path = DATA_DIR,
) -> pa.Table:
    parts = list(iter_partitions(release, name, columns, layer, work_dir))
    if not parts:
        raise FileNotFoundError(f"table {name} of {release} has no partitions")
    return pa.concat_tables(parts)


def read(
    release: str,
    name: str,
    columns: Sequence[str] | None = None,
    layer: str = "processed",
    work_dir: str | Path = DATA_DIR,
) -> pd.DataFrame:
    """A whole table as a DataFrame (for the per-release analysis tables, which fit in memory)."""
    return read_arrow(release, name, columns, layer, work_dir).to_pandas()


def write_table(table: pa.Table | pd.DataFrame, path: Path) -> Path:
    """Write one Parquet file atomically (write to a temp name unique to the call, then rename)."""
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        pq.write_table(table, tmp, compression="zstd")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


QUERY_MEMORY = "2GB"  # DuckDB's memory for query(); it spills to a temp folder beyond it
QUERY_THREADS = 2


def query(sql: str, tables: dict[str, Sequence[Path] | pd.DataFrame]) -> pd.DataFrame:
    """``sql`` run by DuckDB over Parquet files: each entry of ``tables`` a view of its files (plus ``ord``: partition
    and row, the file order), UTC session time zone, results in the query's order. A table may also be a pandas
    frame already in memory (``ord``: its row position), so one query serves a result held in memory too."""
    import duckdb

    with duckdb.connect(":memory:", config={"threads": QUERY_THREADS, "memory_limit": QUERY_MEMORY,
                                            "temp_directory": str(Path(tempfile.gettempdir()) / "ioa_query_spill"),
                                            "preserve_insertion_order": True}) as con:
        con.execute("SET TimeZone = 'UTC'; SET enable_progress_bar = false")
        for name, source in tables.items():
            if isinstance(source, pd.DataFrame):
                con.register(f"{name}_frame", source.assign(ord=pd.RangeIndex(len(source))))
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM {name}_frame")
            else:
                con.execute(f"CREATE VIEW {name} AS {ordered_sql(source)}")
        return con.sql(sql).df()


def ordered_sql(files: Sequence[Path]) -> str:
    """DuckDB SQL reading Parquet ``files`` with ``ord``: ``(file number << 32) + row``, the files' order."""
    return " UNION ALL ".join(
        f"SELECT (CAST({i} AS BIGINT) << 32) + file_row_number AS ord, * EXCLUDE (file_row_number) "
        f"FROM read_parquet('{str(f).replace(chr(39), chr(39) * 2)}', file_row_number = true)"
        for i, f in enumerate(files))


def tweet_files(release: str, work_dir: str | Path = DATA_DIR) -> dict[str, list[Path]]:
    """``{"tweets": <the processed tweet partitions>}``: the ``tables`` argument of :func:`query` for a release."""
    return {"tweets": partitions(table_path(release, "tweets", work_dir=work_dir))}
