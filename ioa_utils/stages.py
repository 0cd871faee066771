"""Run the data stages on demand, cached by input checksums.

Every notebook starts with ``ws.prepare(...)`` (``workspace.Workspace.prepare``, which calls :func:`prepare` with
the workspace's folders, seed and scale): it generates the synthetic archive if the default data folder is used and
it is missing, then loads and cleans each release unless an up-to-date result is on disk. A
stage result is up to date when its stamp (SHA-256 of its inputs, its parameters and the source code
of the modules that compute it) matches the one it was written with, so notebooks run on their own in a
fresh kernel and in any order, and rerunning costs nothing.

Stages may run concurrently (two notebooks on the same folders): each holds its release's lock, re-checks
freshness once it has it (so the second run reuses the first's result), builds in a temp folder, verifies
the written Parquet against the stage's report, stamps, and swaps the result in (``stageio``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from filelock import FileLock

from . import clean, load, progress
from .checksums import sha256_cached, sha256_file
from .discover import Release, discover
from .paths import DATA_DIR, DEFAULT_RAW_DIR, interim_dir, processed_dir, resolve
from .stageio import STAMP, clean_debris, is_fresh, produce, release_lock
from .store import parquet_rows

_PKG = Path(__file__).parent
# the modules of ioa_utils/topics the topics stage runs (not the reading side: tables, figures, evaluate, baseline),
# so editing a figure or a score does not refit 37M tweets; tests/test_stages_code.py checks the imports
TOPICS_STAGE = ("embed", "jit", "link", "model", "nearest", "pipeline", "prep", "reduce", "scale", "summary",
                "tokenize")
_CODE = {
    "load": ("schema.py", "errors.py", "discover.py", "reader.py", "fields.py", "load.py"),
    "clean": ("schema.py", "clean.py"),
    "synthetic": ("schema.py", "synthetic"),
    "topics": tuple(f"topics/{m}.py" for m in TOPICS_STAGE),
    "coordination": ("coordination",),
    "casestudy": ("casestudy", "coordination", "schema.py", "store.py", "timebins.py"),
    "labels": ("casestudy/labels.py", "casestudy/narratives.py", "casestudy/lexicon.py", "casestudy/campaign.py"),
}
SYNTHETIC_MARKER = "_synthetic.json"


def code_version(stage: str) -> str:
    """Hash of the source files a stage runs, so changed code invalidates cached results."""
    h = hashlib.sha256()
    for name in _CODE[stage]:
        p = _PKG / name
        for f in sorted(p.rglob("*.py")) if p.is_dir() else [p]:
            h.update(f.relative_to(_PKG).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _stamp(stage: str, inputs: dict[str, str], params: dict | None = None) -> dict:
    return {"stage": stage, "code": code_version(stage), "inputs": inputs, "params": params or {}}


class StageCheckError(RuntimeError):
    """A stage wrote an output that does not match its own report; it is discarded, never stamped."""


def _expect_rows(path: Path, expected: int, what: str) -> None:
    found = parquet_rows(path) if path.exists() else 0
    if found != expected:
        raise StageCheckError(f"{what}: {path.name} holds {found} rows where the stage reported {expected}")


def ensure_synthetic(raw_dir: str | Path = DEFAULT_RAW_DIR, seed: int = 2020, scale: float = 1.0,
                     zip_level: int | None = None) -> Path:
    """Generate the synthetic mini-archive into ``raw_dir`` unless the same one is already there.
    ``zip_level``: deflate level of its zips when generated (``synthetic.generate``); not part of the stamp, since
    the zips hold the same files at any level.

    Only a folder that is the default synthetic folder, or that a previous generation marked as
    synthetic, is ever (re)written: folders of real downloads are never touched.
    """
    folder = resolve(raw_dir)
    marker = folder / SYNTHETIC_MARKER
    stamp = _stamp("synthetic", {}, {"seed": seed, "scale": scale})
    if synthetic_is_fresh(folder, seed, scale):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(folder.parent / f".{folder.name}.lock"):  # two kernels generating at once: one waits
        if synthetic_is_fresh(folder, seed, scale):
            return folder
        if folder.exists() and any(folder.iterdir()) and not marker.exists():
            raise FileExistsError(f"{folder} holds files that were not generated here; not overwriting them")
        from .synthetic import generate  # imported lazily: real-data runs do not need it

        generate(folder, seed=seed, scale=scale, zip_level=zip_level)
        write_sha256sums(folder)
        marker.write_text(json.dumps(stamp, indent=2, sort_keys=True))
    return folder


def synthetic_is_fresh(raw_dir: str | Path, seed: int = 2020, scale: float = 1.0) -> bool:
    """Whether ``raw_dir`` holds the synthetic archive of ``seed`` and ``scale`` (:func:`ensure_synthetic`'s check)."""
    marker = resolve(raw_dir) / SYNTHETIC_MARKER
    return marker.exists() and json.loads(marker.read_text()) == _stamp("synthetic", {}, {"seed": seed, "scale": scale})


def write_sha256sums(folder: Path) -> Path:
    """``SHA256SUMS`` of every generated file (``sha256sum -c SHA256SUMS`` verifies a copy)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in ("SHA256SUMS", SYNTHETIC_MARKER))
    lines = [f"{sha256_file(p)}  {p.relative_to(folder).as_posix()}" for p in files]
    out = folder / "SHA256SUMS"
    out.write_text("\n".join(lines) + "\n")
    return out


def ensure_loaded(release: Release, work_dir: str | Path = DATA_DIR) -> dict:
    """Interim Parquet of one release (stage 1); returns its load report. Inputs are keyed by their path
    relative to the raw folder."""
    out = interim_dir(release.release, work_dir)
    inputs = {rel: sha256_cached(p, work_dir) for rel, p in release.inputs.items()}
    stamp = _stamp("load", inputs)
    with release_lock(work_dir, release.release):
        clean_debris(out.parent, work_dir, [out.name])
        if not is_fresh(out, stamp):
            with progress.stage("load", release.release):
                produce(out, work_dir, stamp, lambda tmp: load.load_release(release, tmp), _verify_load)
        return json.loads((out / "load_report.json").read_text())


def _verify_load(folder: Path) -> None:
    report = json.loads((folder / "load_report.json").read_text())
    what = f"load of {report['release']}"
    _expect_rows(folder / "users.parquet", report["users"], what)
    _expect_rows(folder / "tweets", report["tweets"], what)
    if len(list((folder / "tweets").glob("part-*.parquet"))) != report["partitions"]:
        raise StageCheckError(f"{what}: the number of tweet partitions differs from the report")


def ensure_cleaned(release: str, work_dir: str | Path = DATA_DIR) -> dict:
    """Processed tables of one release (stage 2), from its interim tables; returns row counts."""
    src, out = interim_dir(release, work_dir), processed_dir(release, work_dir)

    def build(tmp: Path) -> None:
        counts = clean.clean_release(src, tmp)
        (tmp / "clean_report.json").write_text(json.dumps(counts, indent=2, sort_keys=True))

    def verify(tmp: Path) -> None:
        counts = json.loads((tmp / "clean_report.json").read_text())
        loaded = json.loads((src / "load_report.json").read_text())["tweets"]
        if counts["tweets"] != loaded:
            raise StageCheckError(f"clean of {release}: {counts['tweets']} tweets written, {loaded} loaded")
        for table, n in counts.items():
            _expect_rows(tmp / table, n, f"clean of {release}")
        if not (tmp / "accounts.parquet").exists():
            raise StageCheckError(f"clean of {release}: no accounts table written")

    with release_lock(work_dir, release):
        upstream = hashlib.sha256((src / STAMP).read_bytes()).hexdigest()
        stamp = _stamp("clean", {"interim": upstream})
        clean_debris(out.parent, work_dir, [out.name])
        if not is_fresh(out, stamp):
            with progress.stage("clean", release):
                produce(out, work_dir, stamp, build, verify)
        return json.loads((out / "clean_report.json").read_text())


def is_synthetic(raw_dir: str | Path) -> bool:
    folder = resolve(raw_dir)
    return folder == DEFAULT_RAW_DIR.resolve() or (folder / SYNTHETIC_MARKER).exists()


def prepare(
    raw_dir: str | Path = DEFAULT_RAW_DIR,
    work_dir: str | Path = DATA_DIR,
    seed: int = 2020,
    scale: float = 1.0,
    releases: list[str] | None = None,
) -> list[str]:
    """Make sure every release below ``raw_dir`` is loaded and cleaned; return their ids. Notebooks and the
    library call it as ``Workspace(raw_dir, work_dir, seed, scale).prepare(releases)``.

    ``seed`` and ``scale`` only matter for the synthetic archive (generated if ``raw_dir`` is the
    default synthetic folder or was generated before).
    """
    if is_synthetic(raw_dir):
        ensure_synthetic(raw_dir, seed, scale)
    found = discover(raw_dir, releases).releases
    for rel in found:
        ensure_loaded(rel, work_dir)
        ensure_cleaned(rel.release, work_dir)
    return [r.release for r in found]


def release_ids(raw_dir: str | Path = DEFAULT_RAW_DIR, seed: int = 2020, scale: float = 1.0) -> list[str]:
    """The releases below ``raw_dir`` (generating the synthetic archive first where it applies), without
    loading them."""
    if is_synthetic(raw_dir):
        ensure_synthetic(raw_dir, seed, scale)
    return [r.release for r in discover(raw_dir).releases]


def load_report(release: str, work_dir: str | Path = DATA_DIR) -> dict:
    return json.loads((interim_dir(release, work_dir) / "load_report.json").read_text())
