"""SHA-256 of input files, remembered by (path, size, mtime) so a rerun does not rehash gigabytes."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .paths import DATA_DIR, resolve
from .stageio import clean_debris, named_lock, temp_path

_CHUNK = 4 << 20


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _read_cache(store: Path) -> dict:
    try:
        known = json.loads(store.read_text())
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def sha256_cached(path: str | Path, work_dir: str | Path = DATA_DIR) -> str:
    """The file's SHA-256, reusing an earlier result while the file's size and mtime are unchanged.

    The cache (``<work_dir>/cache/sha256.json``) is replaced atomically from a temp file unique to the call,
    under a lock, after re-reading it: concurrent runs never lose each other's entries. Hashing itself
    happens outside the lock."""
    path = Path(path).resolve()
    store = resolve(work_dir) / "cache" / "sha256.json"
    st = path.stat()
    key, stamp = str(path), [st.st_size, st.st_mtime_ns]
    known = _read_cache(store)
    if key in known and known[key][0] == stamp:
        return known[key][1]
    digest = sha256_file(path)
    store.parent.mkdir(parents=True, exist_ok=True)
    with named_lock(work_dir, "sha256-cache"):
        clean_debris(store.parent, work_dir, [store.name])  # temp files of killed runs
        known = _read_cache(store)
        known[key] = [stamp, digest]
        tmp = temp_path(store)
        tmp.write_text(json.dumps(known, indent=0, sort_keys=True))
        os.replace(tmp, store)
    return digest
