"""Stages run safely side by side and after a killed run.

Several processes run ``stages.prepare`` on the same work folder at the same moment (a user doing Run All in
two notebooks): all succeed, each release is built once and reused by the others, and the outputs are
byte-identical to a single-process run. A run killed (SIGKILL) at points inside load, clean and the swap
leaves only temp-named debris, and the next run cleans it and gives byte-identical outputs. The SHA-256
cache loses no entry when processes hash files at the same time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ioa_utils import stageio, stages
from ioa_utils.checksums import sha256_file

N_PROCS = 4
TRIALS = 5

# Waits at a gate (a folder every process signs) so that all processes start each trial together.
_GATE = """
import sys, time
from pathlib import Path

def gate(folder: Path, me: str, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / me).touch()
    while len(list(folder.iterdir())) < n:
        time.sleep(0.002)
"""

PREPARE_WORKER = _GATE + """
import json
from ioa_utils import stages

raw, base, trials, me, n = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
built = {"load": 0, "clean": 0}
for stage, module, fn in (("load", stages.load, "load_release"), ("clean", stages.clean, "clean_release")):
    def counted(*args, _orig=getattr(module, fn), _stage=stage, **kwargs):
        built[_stage] += 1
        return _orig(*args, **kwargs)
    setattr(module, fn, counted)
runs = []
for t in range(trials):
    gate(base / f"gate-{t}", me, n)
    before = dict(built)
    stages.prepare(raw, base / f"work-{t}")
    runs.append({k: built[k] - before[k] for k in built})
print(json.dumps(runs))
"""

KILLED_WORKER = """
import os, shutil, signal, sys
from pathlib import Path
from ioa_utils import clean, load, stageio, stages

raw, work, point = sys.argv[1:4]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def die_after(owner, name, n):
    orig, calls = getattr(owner, name), [0]
    def wrapped(*args, **kwargs):
        out = orig(*args, **kwargs)
        calls[0] += 1
        if calls[0] >= n:
            die()
        return out
    setattr(owner, name, wrapped)

if point == "load-writing":
    die_after(load._PartWriter, "write", 2)
elif point == "load-dedup":
    load._PartWriter.deduplicate = die
elif point == "clean-partition":
    die_after(clean, "clean_partition", 2)
elif point == "clean-accounts":
    clean.combine_activity = die
elif point.startswith("swap-"):  # between setting the old output aside and renaming the new one in
    rename = os.rename
    def rename_then_die(src, dst):
        rename(src, dst)
        if ".old-" in Path(dst).name:
            die()
    os.rename = rename_then_die
elif point == "drop-old":  # while deleting the output just replaced
    rmtree = shutil.rmtree
    stageio.shutil.rmtree = lambda p, *a, **k: die() if ".old-" in Path(p).name else rmtree(p, *a, **k)
stages.prepare(raw, work)
sys.exit(3)  # the kill point was never reached
"""

HASH_WORKER = _GATE + """
from ioa_utils.checksums import sha256_cached

files, work, me, n = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
gate(files.parent / "gate", me, n)
for f in sorted(files.glob("*.bin")):
    sha256_cached(f, work)
"""


def _python(code: str, *args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _outputs(work: Path) -> dict[str, bytes]:
    """Every file the stages wrote (interim and processed), by relative path."""
    return {p.relative_to(work).as_posix(): p.read_bytes()
            for layer in ("interim", "processed") for p in sorted((work / layer).rglob("*")) if p.is_file()}


def _temp_names(work: Path) -> list[Path]:
    return [p for p in work.rglob("*") if stageio.temp_of(p.name) is not None]


@pytest.fixture(scope="module")
def raw(real_dir: Path) -> Path:
    return real_dir / "rna_0621"


@pytest.fixture(scope="module")
def reference(raw: Path, tmp_path_factory) -> dict[str, bytes]:
    """The outputs of one single-process run."""
    work = tmp_path_factory.mktemp("single") / "work"
    stages.prepare(raw, work)
    out = _outputs(work)
    assert {"interim/RNA_0621/_stage.json", "processed/RNA_0621/_stage.json"} <= set(out)
    return out


def test_concurrent_prepare_builds_once_and_matches_a_single_run(raw: Path, reference: dict, tmp_path: Path):
    procs = [_python(PREPARE_WORKER, raw, tmp_path, TRIALS, f"p{i}", N_PROCS) for i in range(N_PROCS)]
    results = [(*p.communicate(timeout=300), p.returncode) for p in procs]
    assert [rc for _, _, rc in results] == [0] * N_PROCS, [err for _, err, _ in results]
    runs = [json.loads(out) for out, _, _ in results]
    for t in range(TRIALS):
        work = tmp_path / f"work-{t}"
        assert _outputs(work) == reference, f"trial {t}"
        assert not _temp_names(work)
        built = [r[t] for r in runs]  # the first to take the lock builds, the others find it fresh
        assert sum(b["load"] for b in built) == 1 and sum(b["clean"] for b in built) == 1, built


POINTS = ["load-writing", "load-dedup", "clean-partition", "clean-accounts", "swap-interim", "swap-processed",
          "drop-old"]


@pytest.mark.parametrize("point", POINTS)
def test_a_killed_run_leaves_only_temp_debris_and_the_rerun_is_identical(raw: Path, reference: dict,
                                                                        tmp_path: Path, point: str):
    work = tmp_path / "work"
    stale = {"swap-interim": "interim", "drop-old": "interim", "swap-processed": "processed"}.get(point)
    if stale:  # a previous complete run whose output this run replaces
        stages.prepare(raw, work)
        folder = work / stale / "RNA_0621"
        stageio.write_stamp(folder, {**stageio.read_stamp(folder), "code": "older"})
    proc = _python(KILLED_WORKER, raw, work, point)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == -9, f"not killed at {point}: {err}"

    for layer in ("interim", "processed"):
        for entry in (work / layer).iterdir() if (work / layer).exists() else ():
            assert entry.name == "RNA_0621" or stageio.temp_of(entry.name) == "RNA_0621", entry
            if entry.name == "RNA_0621":  # a published output is always complete and stamped
                assert stageio.read_stamp(entry) is not None
    assert all(p.name == "sha256.json" or stageio.temp_of(p.name) for p in (work / "cache").iterdir())
    if point != "load-writing" or stale:
        assert _temp_names(work), "the kill point should leave debris to clean"

    stages.prepare(raw, work)
    assert _outputs(work) == reference
    assert not _temp_names(work)


def test_concurrent_hashing_keeps_every_cache_entry(tmp_path: Path):
    work = tmp_path / "work"
    expected = {}
    for i in range(N_PROCS):
        folder = tmp_path / "files" / f"p{i}"
        folder.mkdir(parents=True)
        for j in range(25):
            f = folder / f"{j:02d}.bin"
            f.write_bytes(f"{i}-{j}".encode() * 1000)
            expected[str(f.resolve())] = sha256_file(f)
    procs = [_python(HASH_WORKER, tmp_path / "files" / f"p{i}", work, f"p{i}", N_PROCS) for i in range(N_PROCS)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    cache = json.loads((work / "cache" / "sha256.json").read_text())
    assert {k: v[1] for k, v in cache.items()} == expected
    assert [p.name for p in (work / "cache").iterdir()] == ["sha256.json"]


def test_synthetic_generation_is_not_run_twice_at_once(tmp_path: Path):
    """Two kernels preparing the default synthetic archive: one generates it, the other waits and reuses it."""
    code = _GATE + """
import ioa_utils.synthetic
from ioa_utils import stages

raw, me, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
generate = ioa_utils.synthetic.generate
def counted(*args, **kwargs):
    print("generated")
    return generate(*args, **kwargs)
ioa_utils.synthetic.generate = counted
gate(raw.parent / "gate", me, n)
stages.ensure_synthetic(raw, seed=1, scale=0.02)
"""
    raw = tmp_path / "raw" / "synthetic"
    procs = [_python(code, raw, f"p{i}", 2) for i in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outs]
    assert sum(out.count("generated") for out, _ in outs) == 1
    sums = (raw / "SHA256SUMS").read_text().splitlines()
    assert sums and all(sha256_file(raw / line.split("  ", 1)[1]) == line.split("  ", 1)[0] for line in sums)
