"""Writing stage outputs safely: locks, temp folders, verified stamps, atomic swaps, guarded deletes.

Every stage (load, clean, topics; later ones the same way) follows these rules:

- it works under a per-release lock (``release_lock``, a ``filelock.FileLock``) and re-checks freshness after
  taking it, so concurrent runs wait for each other and reuse each other's result. A long stage (coordination,
  case studies) computes under its own lock per release instead (``named_lock``), in ``scratch`` or in memory,
  and takes the release lock only to publish, after checking that its upstream stamps did not change
  (``UpstreamChangedError``), so the release's other stages do not wait for it;
- it builds its output in a temp folder beside the destination, ``.<name>.tmp-<32 hex>``, unique per call
  (``building``); the stage stamp ``_stage.json`` is written into it only after the output was verified;
- ``publish`` swaps it in by rename: an existing output is first renamed aside (``.<name>.old-<32 hex>``),
  the new one renamed in, then the old one removed. Readers see the old or the new output, never a mix;
- nothing is deleted or replaced unless it lies inside the work folder with no symbolic link on the way,
  and is a stage output (it, or a folder above it, carries a stamp; or a stamped sibling folder lists it in
  its ``outputs``) or bears one of the temp names above (``check_owned``, ``safe_rmtree``).

A killed process leaves only temp names behind; the next holder of the lock removes them (``clean_debris``).
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock

from .paths import check_release_id, resolve

STAMP = "_stage.json"
LOCKS_DIR = "locks"
SCRATCH_DIR = "scratch"  # builds of stages that compute outside their release's lock (see ``scratch``)
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?:tmp|old)-[0-9a-f]{32}$")


class UpstreamChangedError(RuntimeError):
    """An upstream stage was rebuilt while a stage computed from it outside the release lock; nothing was
    published."""


class NotOursError(RuntimeError):
    """A path the project refuses to delete or replace: outside the work folder, reached through a symbolic
    link, or not something a stage wrote."""


def temp_path(dest: Path, kind: str = "tmp") -> Path:
    """A fresh temp name beside ``dest``: ``.<name>.tmp-<uuid>`` (or ``.old-`` for an output set aside)."""
    return dest.with_name(f".{dest.name}.{kind}-{uuid.uuid4().hex}")


def temp_of(name: str) -> str | None:
    """The destination name a temp name belongs to, or None if ``name`` is not a project temp name."""
    m = _TEMP.match(name)
    return m["name"] if m else None


def _work_root(work_dir: str | Path) -> Path:
    return resolve(work_dir).resolve()


def inside_work(path: str | Path, work_dir: str | Path) -> Path:
    """``path`` below the real work folder, checked: strictly inside it, no ``..``, and no symbolic link on
    the way (a symlinked release folder could point anywhere). Raises NotOursError otherwise."""
    root = _work_root(work_dir)
    given = Path(path)
    if ".." in given.parts:
        raise NotOursError(f"refusing {given}: the path contains '..'")
    absolute = Path(os.path.abspath(given))
    for base in (root, Path(os.path.abspath(resolve(work_dir)))):  # the work folder as resolved or as given
        if absolute.is_relative_to(base) and absolute != base:
            rel = absolute.relative_to(base)
            break
    else:
        raise NotOursError(f"refusing {given}: it is not inside the work folder {root}")
    cur = root
    for part in rel.parts:
        cur = cur / part
        if cur.is_symlink():
            raise NotOursError(f"refusing {given}: {cur} is a symbolic link (the project never writes through one)")
    return cur


def _is_stamped(folder: Path) -> bool:
    try:
        return isinstance(json.loads((folder / STAMP).read_text()).get("stage"), str)
    except (OSError, ValueError, AttributeError):
        return False


def _claimed_by_sibling(p: Path) -> bool:
    """A file published beside a stamped folder that lists it (the topics stage: ``topics.parquet`` beside
    ``topic_model/_stage.json``)."""
    for d in p.parent.iterdir():
        stamp = read_stamp(d) if d.is_dir() and not d.is_symlink() else None
        if isinstance(stamp, dict) and p.name in stamp.get("outputs", ()):
            return True
    return False


def check_owned(path: str | Path, work_dir: str | Path) -> Path:
    """``path`` if the project may delete or replace it (see the module docstring), else NotOursError."""
    p = inside_work(path, work_dir)
    if temp_of(p.name) is not None:
        return p
    root = _work_root(work_dir)
    for folder in (p, *p.parents):
        if folder == root:
            break
        if _is_stamped(folder):
            return p
    if _claimed_by_sibling(p):
        return p
    raise NotOursError(f"refusing to delete or replace {p}: it is not a stage output of this project (no {STAMP} "
                       f"in it or above it). Move it out of the work folder {root} and run again.")


def safe_rmtree(path: str | Path, work_dir: str | Path) -> None:
    """Delete a file or folder the project created (``check_owned``); a missing path is fine."""
    p = check_owned(path, work_dir)
    if p.is_dir():
        shutil.rmtree(p)
    elif p.exists():
        p.unlink()


def clean_debris(folder: Path, work_dir: str | Path, names: Iterable[str]) -> list[Path]:
    """Remove the temp files/folders of ``names`` that killed runs left in ``folder``. Call it only while
    holding the lock that every writer of those names holds (then no live process is using them)."""
    wanted = set(names)
    if not folder.is_dir():
        return []
    debris = sorted(p for p in folder.iterdir() if temp_of(p.name) in wanted)
    for p in debris:
        safe_rmtree(p, work_dir)
    return debris


def release_lock(work_dir: str | Path, release: str) -> FileLock:
    """The lock every stage holds while it checks, builds or replaces outputs of ``release``."""
    return named_lock(work_dir, f"release-{check_release_id(release)}")


def named_lock(work_dir: str | Path, name: str) -> FileLock:
    folder = resolve(work_dir) / LOCKS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return FileLock(folder / f"{name}.lock")


def scratch(work_dir: str | Path, name: str) -> Path:
    """``<work_dir>/scratch/<name>``: where a stage that builds outside the release lock (its own lock held) puts
    its temp folder (``building(scratch(...), ...)``), away from ``processed/<release>/``, which a rebuild of the
    clean stage replaces whole. The finished build is moved beside its destination under the release lock and
    published from there. Name it after the stage and release, so only holders of that stage's lock use it."""
    return resolve(work_dir) / SCRATCH_DIR / name


def read_stamp(folder: Path) -> dict | None:
    try:
        return json.loads((folder / STAMP).read_text())
    except (OSError, ValueError):
        return None


def is_fresh(folder: Path, stamp: dict) -> bool:
    return read_stamp(folder) == stamp


def write_stamp(folder: Path, stamp: dict) -> None:
    (folder / STAMP).write_text(json.dumps(stamp, indent=2, sort_keys=True))


@contextmanager
def building(dest: Path, work_dir: str | Path) -> Iterator[Path]:
    """A new empty temp folder beside ``dest``; removed again if the block raises."""
    inside_work(dest, work_dir)
    tmp = temp_path(dest)
    tmp.mkdir(parents=True)
    try:
        yield tmp
    except BaseException:
        safe_rmtree(tmp, work_dir)
        raise


def publish(new: Path, dest: Path, work_dir: str | Path) -> None:
    """Swap ``new`` (a temp file or folder beside ``dest``) in as ``dest``, atomically for readers."""
    if temp_of(new.name) is None or new.parent != dest.parent:
        raise ValueError(f"{new} is not a temp path beside {dest}")
    inside_work(dest, work_dir)
    if not (dest.exists() or dest.is_symlink()):
        os.rename(new, dest)
        return
    check_owned(dest, work_dir)
    if new.is_file() and dest.is_file():
        os.replace(new, dest)
        return
    old = temp_path(dest, "old")
    os.rename(dest, old)
    os.rename(new, dest)
    safe_rmtree(old, work_dir)


def produce(dest: Path, work_dir: str | Path, stamp: dict, build: Callable[[Path], object],
            verify: Callable[[Path], object]) -> None:
    """Build ``dest`` in a temp folder with ``build(tmp)``, check it with ``verify(tmp)``, stamp it, publish it.
    The caller holds the lock and has found ``dest`` stale."""
    with building(dest, work_dir) as tmp:
        build(tmp)
        verify(tmp)
        write_stamp(tmp, stamp)
        publish(tmp, dest, work_dir)


_FROZEN = {"depth": 0}
_FROZEN_LOCK = threading.Lock()


@contextmanager
def frozen_gc() -> Iterator[None]:
    """The objects alive when the outermost of these contexts starts (imported modules, a notebook's state) are
    left out of garbage collection until it ends: they never become garbage here, and a stage's ``gc.collect()``
    (run to return a large frame's memory before the next one is read) scans only what the stage made."""
    with _FROZEN_LOCK:
        if _FROZEN["depth"] == 0:
            gc.freeze()
        _FROZEN["depth"] += 1
    try:
        yield
    finally:
        with _FROZEN_LOCK:
            _FROZEN["depth"] -= 1
            if _FROZEN["depth"] == 0:
                gc.unfreeze()
