"""Run the data stages on demand, cached by input checksums.

Every notebook starts with ``prepare(...)``: it generates the synthetic archive if the default data folder
is used and it is missing, then loads and cleans each release unless an up-to-date result is on disk. A
stage result is up to date when its stamp (SHA-256 of its inputs, its parameters and the source code
of the modules that compute it) matches the one it was written with, so notebooks run on their own in a
fresh kernel and in any order, and rerunning costs nothing.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import clean, load
from .checksums import sha256_cached, sha256_file
from .discover import Release, discover
from .paths import DATA_DIR, DEFAULT_RAW_DIR, interim_dir, processed_dir, resolve

_PKG = Path(__file__).parent
_CODE = {
    "load": ("schema.py", "discover.py", "reader.py", "load.py"),
    "clean": ("schema.py", "clean.py"),
    "synthetic": ("schema.py", "synthetic"),
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


def _is_fresh(folder: Path, stamp: dict) -> bool:
    f = folder / "_stage.json"
    return f.exists() and json.loads(f.read_text()) == stamp


def _write_stamp(folder: Path, stamp: dict) -> None:
    (folder / "_stage.json").write_text(json.dumps(stamp, indent=2, sort_keys=True))


def ensure_synthetic(raw_dir: str | Path = DEFAULT_RAW_DIR, seed: int = 2020, scale: float = 1.0) -> Path:
    """Generate the synthetic mini-archive into ``raw_dir`` unless the same one is already there.

    Only a folder that is the default synthetic folder, or that a previous generation marked as
    synthetic, is ever (re)written: folders of real downloads are never touched.
    """
    folder = resolve(raw_dir)
    marker = folder / SYNTHETIC_MARKER
    stamp = _stamp("synthetic", {}, {"seed": seed, "scale": scale})
    if marker.exists() and json.loads(marker.read_text()) == stamp:
        return folder
    if folder.exists() and any(folder.iterdir()) and not marker.exists():
        raise FileExistsError(f"{folder} holds files that were not generated here; not overwriting them")
    from .synthetic import generate  # imported lazily: real-data runs do not need it

    generate(folder, seed=seed, scale=scale)
    write_sha256sums(folder)
    marker.write_text(json.dumps(stamp, indent=2, sort_keys=True))
    return folder


def write_sha256sums(folder: Path) -> Path:
    """``SHA256SUMS`` of every generated file (``sha256sum -c SHA256SUMS`` verifies a copy)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in ("SHA256SUMS", SYNTHETIC_MARKER))
    lines = [f"{sha256_file(p)}  {p.relative_to(folder).as_posix()}" for p in files]
    out = folder / "SHA256SUMS"
    out.write_text("\n".join(lines) + "\n")
    return out


def ensure_loaded(release: Release, work_dir: str | Path = DATA_DIR) -> dict:
    """Interim Parquet of one release (stage 1); returns its load report."""
    out = interim_dir(release.release, work_dir)
    inputs = {p.name: sha256_cached(p, work_dir) for p in release.paths}
    stamp = _stamp("load", inputs)
    if not _is_fresh(out, stamp):
        load.load_release(release, out)
        _write_stamp(out, stamp)
    return json.loads((out / "load_report.json").read_text())


def ensure_cleaned(release: str, work_dir: str | Path = DATA_DIR) -> dict:
    """Processed tables of one release (stage 2), from its interim tables; returns row counts."""
    src, out = interim_dir(release, work_dir), processed_dir(release, work_dir)
    upstream = hashlib.sha256((src / "_stage.json").read_bytes()).hexdigest()
    stamp = _stamp("clean", {"interim": upstream})
    if not _is_fresh(out, stamp):
        counts = clean.clean_release(src, out)
        (out / "clean_report.json").write_text(json.dumps(counts, indent=2, sort_keys=True))
        _write_stamp(out, stamp)
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
    """Make sure every release below ``raw_dir`` is loaded and cleaned; return their ids.

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
