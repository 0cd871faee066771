"""SHA-256 of input files, remembered by (path, size, mtime) so a rerun does not rehash gigabytes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .paths import DATA_DIR, resolve

_CHUNK = 4 << 20


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def sha256_cached(path: str | Path, work_dir: str | Path = DATA_DIR) -> str:
    """The file's SHA-256, reusing an earlier result while the file's size and mtime are unchanged."""
    path = Path(path).resolve()
    store = resolve(work_dir) / "cache" / "sha256.json"
    st = path.stat()
    key, stamp = str(path), [st.st_size, st.st_mtime_ns]
    known = json.loads(store.read_text()) if store.exists() else {}
    if key in known and known[key][0] == stamp:
        return known[key][1]
    digest = sha256_file(path)
    known[key] = [stamp, digest]
    store.parent.mkdir(parents=True, exist_ok=True)
    tmp = store.with_suffix(".tmp")
    tmp.write_text(json.dumps(known, indent=0, sort_keys=True))
    tmp.replace(store)
    return digest
