"""The case-study stage: every detector once with its default parameters (``compare.run_all``) and the release
profile (``casestudy.profile``), persisted per release under ``processed/<release>/casestudy/``, so notebook 08
and the report read them instead of recomputing.

Layout: ``manifest.json`` lists the findings in detector order (``finding-NN/``) and the profile (``profile/``);
each folder holds ``object.json`` (the scalar fields: a Finding's name, applicable, evidence and roles; the
Profile's release, time zone and its mixed-type ``summary``) and one Parquet file per table field (a Finding's
accounts, tweets and table when present; each of the Profile's tables). Reading gives back equal objects.
 Same discipline as the load and clean stages (``ioa_utils.stageio``): the stamp is the upstream stamps (processed
tables, coordination stage, topics stage when it has run), the parameters (time zone) and a hash of the code that
computes the result, and the content of the campaign files (``casestudy.campaign``: the release's own, for its
detector thresholds, and every bundled one, for their narratives); a fresh result is reused; otherwise it is computed,
written to a temp folder, verified against the manifest, stamped and swapped in. Computing runs under this stage's own
lock per release (concurrent runs wait and reuse the result); the release lock is taken only to publish, after
checking that no upstream stage was rebuilt meanwhile, so the upstream stages this one triggers (coordination, topics)
can take it themselves.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import progress, stageio
from ..coordination import stage as cstage
from ..paths import DATA_DIR, processed_dir
from ..workspace import Workspace
from . import campaign
from .base import Finding, guess_timezone
from .profile import Profile

NAME = "casestudy"
MANIFEST = "manifest.json"
OBJECT = "object.json"
TOPICS_STAMP = ("topic_model", stageio.STAMP)  # the topics stage's stamp, below processed/<release>/
# Source the result depends on, relative to ioa_utils/ (hashed like ``stages.code_version``).


class UpstreamChangedError(RuntimeError):
    """An upstream stage was rebuilt while the case-study stage computed from it; nothing was published."""


def code_version() -> str:
    """Hash of the source files this stage runs (``stages._CODE["casestudy"]``), so changed code invalidates
    cached results."""
    from ..stages import code_version as stage_code

    return stage_code(NAME)


def folder(release: str, work_dir: str | Path = DATA_DIR) -> Path:
    return processed_dir(release, work_dir) / NAME


def _stamp_hash(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def upstream(release: str, work_dir: str | Path = DATA_DIR) -> dict[str, str | None]:
    """SHA-256 of the stamps this stage is computed from: processed tables, coordination stage, topics stage
    (``None`` when the topics stage has not run: the findings then go without topics)."""
    base = processed_dir(release, work_dir)
    return {"processed": _stamp_hash(base / stageio.STAMP),
            "coordination": _stamp_hash(cstage.folder(release, work_dir) / stageio.STAMP),
            "topics": _stamp_hash(base.joinpath(*TOPICS_STAMP))}


def stamp(release: str, work_dir: str | Path, timezone: str) -> dict:
    """Upstream stamps, code, time zone, and the campaign files' content: the release's own campaign (its
    thresholds) and every bundled campaign (their lexicons run on every release), so editing a file recomputes."""
    own = campaign.for_release(release)
    return {"stage": NAME, "code": code_version(), "inputs": upstream(release, work_dir),
            "params": {"timezone": timezone, "detectors": "campaign" if own else "defaults",
                       "campaign": own.digest() if own else None, "campaigns": campaign.bundled_digest()}}


def ensure(release: str, ws: Workspace | None = None, timezone: str | None = None, topics: bool = True) -> Path:
    """``processed/<release>/casestudy/`` below ``ws.work_dir`` (None: the default ``Workspace()``), computed
    unless an up-to-date one is on disk.

    Needs the processed tables (``ws.prepare``); ensures the coordination stage; with ``topics`` runs the
    topics stage first when it has not run (as ``casestudy.load`` does), else uses topics only when present.
    ``timezone``: posting hours' zone (None: the release registry's, an error for a release it does not know).
    """
    ws = Workspace() if ws is None else ws
    work_dir = ws.work_dir
    tz = timezone or guess_timezone(release)
    base = processed_dir(release, work_dir)
    if not (base / stageio.STAMP).exists():
        raise FileNotFoundError(f"no processed tables of {release} in {base}: run stages.prepare first")
    dest = folder(release, work_dir)
    with stageio.named_lock(work_dir, f"{NAME}-{release}"):
        cstage.ensure(release, work_dir)
        if topics and not (base / "topics.parquet").exists():
            from .base import topic_assignments

            topic_assignments(release, work_dir, compute=True)  # runs and saves the topics stage once
        want = stamp(release, work_dir, tz)
        if stageio.is_fresh(dest, want):
            return dest
        findings, prof = _compute(release, ws, tz, (base / "topics.parquet").exists())
        with stageio.release_lock(work_dir, release):
            if stamp(release, work_dir, tz) != want:
                raise UpstreamChangedError(f"an upstream stage of {release} was rebuilt while its case-study "
                                           "findings were computed; run again")
            stageio.clean_debris(base, work_dir, [NAME])
            stageio.produce(dest, work_dir, want, lambda tmp: write(tmp, findings, prof), verify)
    return dest


def _compute(release: str, ws: Workspace, timezone: str, topics: bool) -> tuple[dict[str, Finding], Profile]:
    from .base import load
    from .compare import run_all
    from .profile import profile

    with progress.stage("casestudy", release) as step:
        data = load(release, ws, timezone, topics=topics)
        findings = run_all(data, campaign.for_release(release))
        step(f"{len(findings)} detectors run")
        prof = profile(data, ws.work_dir)
        step("profile computed")
    return findings, prof


def read(release: str, ws: Workspace | None = None, timezone: str | None = None,
         topics: bool = True) -> tuple[dict[str, Finding], Profile]:
    """Every detector's Finding on ``release`` (default parameters, by name, in ``compare.run_all``'s order) and
    the release's Profile, computed first if missing or stale (:func:`ensure`)."""
    ws = Workspace() if ws is None else ws
    dest = ensure(release, ws, timezone, topics)
    with stageio.named_lock(ws.work_dir, f"{NAME}-{release}"):  # no rebuild swaps it out while it is read
        return load_findings(dest), load_profile(dest)


def read_findings(release: str, ws: Workspace | None = None, timezone: str | None = None,
                  topics: bool = True) -> dict[str, Finding]:
    """Every detector's Finding on ``release`` (see :func:`read`)."""
    return read(release, ws, timezone, topics)[0]


def read_profile(release: str, ws: Workspace | None = None, timezone: str | None = None,
                 topics: bool = True) -> Profile:
    """The release's Profile as ``casestudy.profile`` computed it (see :func:`read`)."""
    return read(release, ws, timezone, topics)[1]


# --- writing and reading the objects -------------------------------------------------------------------

def write(out: Path, findings: dict[str, Finding], prof: Profile) -> None:
    """Write ``findings`` (in order) and ``prof`` into the folder ``out``, with the manifest."""
    entries = []
    for i, (key, f) in enumerate(findings.items()):
        if key != f.name:
            raise ValueError(f"finding {f.name!r} is filed under {key!r}; run_all keys findings by name")
        name = f"finding-{i:02d}"
        entries.append({"name": f.name, "folder": name, "rows": _save(f, out / name)})
    manifest = {"findings": entries, "profile": {"folder": "profile", "rows": _save(prof, out / "profile")}}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")


def verify(out: Path) -> None:
    """Every object the manifest lists is there with the rows it was written with."""
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    for entry in [*manifest["findings"], manifest["profile"]]:
        sub = out / entry["folder"]
        json.loads((sub / OBJECT).read_text(encoding="utf-8"))
        for field, n in entry["rows"].items():
            found = pq.ParquetFile(sub / f"{field}.parquet").metadata.num_rows
            if found != n:
                raise RuntimeError(f"case-study stage: {sub.name}/{field}.parquet holds {found} rows, {n} written")


def load_findings(dest: Path) -> dict[str, Finding]:
    manifest = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    return {e["name"]: _load(Finding, dest / e["folder"]) for e in manifest["findings"]}


def load_profile(dest: Path) -> Profile:
    manifest = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    return _load(Profile, dest / manifest["profile"]["folder"])


def _enc(v: Any) -> list:
    """A scalar as JSON, keeping numpy scalar types: ``[value]`` or ``[value, numpy dtype]``."""
    return [v.item(), v.dtype.str] if isinstance(v, np.generic) else [v]


def _dec(x: list) -> Any:
    return np.dtype(x[1]).type(x[0]) if len(x) == 2 else x[0]


def _save(obj: Finding | Profile, out: Path) -> dict[str, int]:
    """One dataclass: tables (DataFrames, numeric or string Series) as Parquet, the rest in ``object.json``
    (an object-dtype Series, such as the profile's mixed summary, as its items). Returns rows per table."""
    out.mkdir()
    fields, rows = {}, {}
    for f in dataclasses.fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, pd.Series) and v.dtype == object:
            fields[f.name] = {"kind": "items", "name": _enc(v.name), "items": [[k, _enc(x)] for k, x in v.items()]}
        elif isinstance(v, pd.DataFrame | pd.Series):
            fields[f.name] = _save_table(v, out / f"{f.name}.parquet")
            rows[f.name] = len(v)
        elif isinstance(v, tuple):
            fields[f.name] = {"kind": "tuple", "value": [_enc(x) for x in v]}
        else:
            fields[f.name] = {"kind": "value", "value": _enc(v)}
    (out / OBJECT).write_text(json.dumps(fields, indent=2, sort_keys=True), encoding="utf-8")
    return rows


def _save_table(v: pd.DataFrame | pd.Series, path: Path) -> dict:
    """Parquet keeps dtypes and indexes, but reads object columns of strings back as ``str`` and lists as
    arrays: remember which columns and index levels were object (and which held lists) to restore them."""
    series = isinstance(v, pd.Series)
    frame = v.to_frame("values") if series else v
    columns = [_object_kind(frame.iloc[:, i]) for i in range(frame.shape[1])]
    index = [frame.index.get_level_values(i).dtype == object for i in range(frame.index.nlevels)]
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=True), path)
    freq = getattr(frame.index, "freqstr", None)  # a regular DatetimeIndex's frequency (Parquet drops it)
    return {"kind": "series" if series else "frame", "name": _enc(v.name) if series else None,
            "objects": columns, "object_index": index, "freq": freq}


def _object_kind(s: pd.Series) -> str:
    if s.dtype != object:
        return ""
    first = next((x for x in s if x is not None and x is not np.nan), None)
    return "list" if isinstance(first, list) else "object"


def _read_table(path: Path, spec: dict) -> pd.DataFrame | pd.Series:
    table = pq.read_table(path)
    frame = table.to_pandas()
    meta = table.schema.pandas_metadata
    index_fields = [c for c in meta["index_columns"] if isinstance(c, str)]  # (a RangeIndex is stored as a dict)
    data_fields = [c["field_name"] for c in meta["columns"] if c["field_name"] not in index_fields]
    for i, kind in enumerate(spec["objects"]):
        if kind:  # Python objects as written: None for nulls, lists for lists
            frame.isetitem(i, pd.Series(table.column(data_fields[i]).to_pylist(), index=frame.index, dtype=object))
    if any(spec["object_index"]) and index_fields:
        levels = [pd.Index(table.column(index_fields[k]).to_pylist(), dtype=object) if flag
                  else frame.index.get_level_values(k) for k, flag in enumerate(spec["object_index"])]
        frame.index = (pd.MultiIndex.from_arrays(levels, names=frame.index.names) if len(levels) > 1
                       else levels[0].rename(frame.index.name))
    if spec["freq"]:
        frame.index = pd.DatetimeIndex(frame.index, freq=spec["freq"])
    return frame["values"].rename(_dec(spec["name"])) if spec["kind"] == "series" else frame


def _load(cls: type, folder: Path) -> Any:
    fields = json.loads((folder / OBJECT).read_text(encoding="utf-8"))
    values = {}
    for name, spec in fields.items():
        kind = spec["kind"]
        if kind == "items":
            values[name] = pd.Series({k: _dec(x) for k, x in spec["items"]}, dtype=object, name=_dec(spec["name"]))
        elif kind in ("frame", "series"):
            values[name] = _read_table(folder / f"{name}.parquet", spec)
        elif kind == "tuple":
            values[name] = tuple(_dec(x) for x in spec["value"])
        else:
            values[name] = _dec(spec["value"])
    return cls(**values)
