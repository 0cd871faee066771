"""The project deletes or overwrites only what it created, whatever the file names, folders and zips it is given.

Built at test time from the real RNA_0621 fixture: hostile release ids, symlinked or foreign output folders,
same-named shards in two subfolders, zips with same-named members, Mac unzip debris, the topics stage's
stamp-and-swap, and where notebook 08 saves its figures. Concurrency and killed runs: test_concurrency.py.
"""

from __future__ import annotations

import json
import shutil
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from archive_csv import read_rows, write_rows

from ioa_utils import pipeline, stageio, stages, store
from ioa_utils.discover import discover
from ioa_utils.errors import ArchiveError
from ioa_utils.paths import REPORTS_DIR, interim_dir, processed_dir

SHARD = "RNA_0621_tweets_csv_hashed_2018.csv"  # 13 tweets
SMALL = "RNA_0621_tweets_csv_hashed_2014.csv"
USERS = "hashed_2021_12_RNA_0621_RNA_0621_users_csv_hashed.csv"  # 50 accounts
APPLEDOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(64)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _temp_names(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if stageio.temp_of(p.name) is not None]


@pytest.fixture()
def small_raw(real_dir: Path, tmp_path: Path) -> Path:
    """The users file and one 13-tweet shard (fast to load)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in (USERS, SHARD):
        shutil.copy(real_dir / "rna_0621" / name, raw / name)
    return raw


# --- release ids ---------------------------------------------------------------------------------------

HOSTILE = {
    "parent": "hashed_2020_09_.._tweets_csv_hashed.csv",  # id '..'
    "dot": "hashed_2020_09_._tweets_csv_hashed.csv",  # id '.'
    "dotdot-plain": ".._tweets_csv_hashed.csv",
    "hidden": ".rna_tweets_csv_hashed.csv",
    "space": "RNA 0621_tweets_csv_hashed.csv",
    "unicode": "Россия_0621_tweets_csv_hashed.csv",
    "too-long": "a" * 101 + "_tweets_csv_hashed.csv",
    "leading-dash": "-rf_tweets_csv_hashed.csv",
    "dot-inside": "rna.0621_tweets_csv_hashed.csv",
    "windows-device": "con_tweets_csv_hashed.csv",
    "windows-port": "COM1_tweets_csv_hashed.csv",
}


@pytest.mark.parametrize("name", HOSTILE.values(), ids=HOSTILE.keys())
def test_unsafe_release_id_is_an_error_naming_the_file_and_nothing_is_touched(small_raw: Path, tmp_path: Path,
                                                                              name: str):
    work = tmp_path / "work"
    stages.prepare(small_raw, work)  # a previous, good run
    sentinel = tmp_path / "keep.txt"
    sentinel.write_text("not the project's")
    before, raw_before = _snapshot(tmp_path / "work"), _snapshot(small_raw)
    shutil.copy(small_raw / SHARD, small_raw / name)
    with pytest.raises(ArchiveError, match=r"not a safe folder name") as err:
        stages.prepare(small_raw, work)
    assert err.value.path.name == name
    assert _snapshot(work) == before and sentinel.read_text() == "not the project's"
    assert {k: v for k, v in _snapshot(small_raw).items() if k != name} == raw_before


def test_longest_safe_id_runs_end_to_end(small_raw: Path, tmp_path: Path):
    rid = "R" * 100
    (small_raw / SHARD).rename(small_raw / f"{rid}_tweets_csv_hashed.csv")
    (small_raw / USERS).rename(small_raw / f"{rid}_users_csv_hashed.csv")
    assert stages.prepare(small_raw, tmp_path / "work") == [rid]
    assert stages.ensure_cleaned(rid, tmp_path / "work")["tweets"] == 13


def test_ids_differing_only_in_case_are_refused(small_raw: Path):
    shutil.copy(small_raw / SHARD, small_raw / "rna_0621_tweets_csv_hashed.csv")
    with pytest.raises(ArchiveError, match="differ only in letter case"):
        discover(small_raw)


@pytest.mark.parametrize("rid", ["..", ".", "", "a/b", "../x", "/abs", "x" * 101, "é", "NUL", "lpt9"])
def test_paths_refuse_unsafe_ids_again(tmp_path: Path, rid: str):
    for fn in (interim_dir, processed_dir):
        with pytest.raises(ValueError, match="unsafe release id"):
            fn(rid, tmp_path)
    with pytest.raises(ValueError, match="unsafe release id"):
        stages.ensure_cleaned(rid, tmp_path)
    assert not any(tmp_path.iterdir())


# --- what may be deleted ---------------------------------------------------------------------------------

def test_safe_rmtree_deletes_only_stage_outputs_and_temp_names_inside_the_work_folder(tmp_path: Path):
    work, outside = tmp_path / "work", tmp_path / "outside"
    stamped, foreign, temp = work / "interim" / "A", work / "interim" / "B", work / "interim" / f".A.tmp-{'0' * 32}"
    for d in (stamped, foreign, outside, temp):
        d.mkdir(parents=True)
        (d / "f.txt").write_text("x")
    stageio.write_stamp(stamped, {"stage": "load"})
    (work / "interim" / "link").symlink_to(outside, target_is_directory=True)
    stageio.write_stamp(outside, {"stage": "load"})  # a stamp does not make a folder reached by a symlink ours
    refused = [outside, work, work / "interim", foreign, foreign / "f.txt", work / "interim" / "link",
               work / "interim" / "link" / "f.txt", work / "interim" / "A" / ".." / "B", tmp_path]
    for target in refused:
        with pytest.raises(stageio.NotOursError):
            stageio.safe_rmtree(target, work)
    assert (outside / "f.txt").exists() and (foreign / "f.txt").exists()
    stageio.safe_rmtree(stamped / "f.txt", work)
    stageio.safe_rmtree(stamped, work)
    stageio.safe_rmtree(temp, work)
    assert not stamped.exists() and not temp.exists()


def _make_stale(folder: Path) -> None:
    stamp = json.loads((folder / stageio.STAMP).read_text())
    stageio.write_stamp(folder, {**stamp, "code": "older"})


@pytest.mark.parametrize("layer", ["interim", "processed"])
def test_symlinked_release_folder_pointing_outside_is_never_written_through(small_raw: Path, tmp_path: Path,
                                                                            layer: str):
    work, outside = tmp_path / "work", tmp_path / "elsewhere"
    stages.prepare(small_raw, work)
    out = work / layer / "RNA_0621"
    shutil.move(out, outside)  # a stage output, stamped, but now reached through a symbolic link
    out.symlink_to(outside, target_is_directory=True)
    _make_stale(outside)
    before = _snapshot(outside)
    with pytest.raises(stageio.NotOursError, match="symbolic link"):
        stages.prepare(small_raw, work)
    assert _snapshot(outside) == before and out.is_symlink()
    assert not _temp_names(work)


def test_symlinked_layer_folder_is_never_written_through(small_raw: Path, tmp_path: Path):
    work, outside = tmp_path / "work", tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "precious.txt").write_text("x")
    work.mkdir()
    (work / "interim").symlink_to(outside, target_is_directory=True)
    with pytest.raises(stageio.NotOursError, match="symbolic link"):
        stages.prepare(small_raw, work)
    assert [p.name for p in outside.iterdir()] == ["precious.txt"]


@pytest.mark.parametrize("layer", ["interim", "processed"])
def test_a_foreign_folder_where_an_output_goes_is_not_replaced(small_raw: Path, tmp_path: Path, layer: str):
    work = tmp_path / "work"
    mine = work / layer / "RNA_0621"
    if layer == "processed":
        stages.ensure_loaded(discover(small_raw).releases[0], work)
    mine.mkdir(parents=True)
    (mine / "notes.txt").write_text("my notes")
    with pytest.raises(stageio.NotOursError, match="not a stage output"):
        stages.prepare(small_raw, work)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"] and not _temp_names(work)


def test_a_failing_stage_leaves_the_previous_output_and_no_debris(small_raw: Path, tmp_path: Path, monkeypatch):
    work = tmp_path / "work"
    stages.prepare(small_raw, work)
    before = _snapshot(work / "processed")
    _make_stale(work / "processed" / "RNA_0621")
    stale = _snapshot(work / "processed")

    def broken(src: Path, out: Path, **kw) -> dict:
        (out / "tweets").mkdir()
        return {"tweets": 13, "hashtags": 0, "urls": 0, "mentions": 0}  # claims rows it did not write

    monkeypatch.setattr(stages.clean, "clean_release", broken)
    with pytest.raises(stages.StageCheckError, match="0 rows where the stage reported 13"):
        stages.ensure_cleaned("RNA_0621", work)
    assert _snapshot(work / "processed") == stale and not _temp_names(work)
    monkeypatch.undo()
    stages.ensure_cleaned("RNA_0621", work)
    assert _snapshot(work / "processed") == before


def test_debris_of_killed_runs_is_removed_but_lookalikes_are_not(small_raw: Path, tmp_path: Path):
    work = tmp_path / "work"
    debris = [work / "interim" / f".RNA_0621.tmp-{'a' * 32}", work / "processed" / f".RNA_0621.old-{'b' * 32}",
              work / "cache" / f".sha256.json.tmp-{'c' * 32}"]
    lookalikes = [work / "interim" / ".RNA_0621.tmp-notours", work / "interim" / f".OTHER.tmp-{'d' * 32}",
                  work / "interim" / "RNA_0621.partial"]
    for p in debris + lookalikes:
        p.parent.mkdir(parents=True, exist_ok=True)
        if "json" in p.name:
            p.write_text("{}")
        else:
            p.mkdir()
    stages.prepare(small_raw, work)
    assert not any(p.exists() for p in debris)
    assert all(p.exists() for p in lookalikes)


# --- inputs are keyed by relative path -----------------------------------------------------------------

def test_same_named_shards_in_two_subfolders_are_two_inputs(real_dir: Path, tmp_path: Path):
    raw, work = tmp_path / "raw", tmp_path / "work"
    header, rows = read_rows(real_dir / "rna_0621" / SHARD)
    for sub in ("a", "b"):
        (raw / sub).mkdir(parents=True)
        shutil.copy(real_dir / "rna_0621" / USERS, raw / sub / USERS)
    write_rows(raw / "a" / SHARD, header, rows)
    write_rows(raw / "b" / SHARD, header, rows[:5])  # repeats 5 tweets of a's shard
    (rel,) = discover(raw).releases
    report = stages.ensure_loaded(rel, work)
    assert report["tweets_read"] == 18 and report["duplicate_tweets_dropped"] == 5
    assert report["users"] == 50 and report["duplicate_users_dropped"] == 50  # both users files were read
    assert sorted(f["file"] for f in report["files"]) == sorted([f"a/{SHARD}", f"b/{SHARD}", f"a/{USERS}",
                                                                 f"b/{USERS}"])
    stamp = json.loads((interim_dir("RNA_0621", work) / stageio.STAMP).read_text())
    assert set(stamp["inputs"]) == {f"a/{SHARD}", f"b/{SHARD}", f"a/{USERS}", f"b/{USERS}"}
    files = store.read("RNA_0621", "tweets", ["source_file"], layer="interim", work_dir=work)["source_file"]
    assert set(files) == {f"a/{SHARD}"}  # b's rows are all repeats (first occurrence kept)

    for sub, keep, expected in (("a", 10, 15), ("b", 2, 12)):  # a change to either copy reruns the stage
        write_rows(raw / sub / SHARD, header, rows[:keep])
        report = stages.ensure_loaded(discover(raw).releases[0], work)
        assert report["tweets_read"] == expected, sub

    seen = pipeline.input_checksums({"raw_dir": str(raw), "work_dir": str(work)})
    assert set(seen["RNA_0621"]) == {f"a/{SHARD}", f"b/{SHARD}", f"a/{USERS}", f"b/{USERS}"}


# --- zips ----------------------------------------------------------------------------------------------

def test_zip_with_two_members_of_the_same_name_reads_each_once(real_dir: Path, tmp_path: Path):
    raw, work = tmp_path / "raw", tmp_path / "work"
    raw.mkdir()
    shutil.copy(real_dir / "rna_0621" / USERS, raw / USERS)
    z = raw / "RNA_0621_tweets_csv_hashed.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name: that is the point
        zf.writestr(SHARD, (real_dir / "rna_0621" / SHARD).read_bytes())
        zf.writestr("README.txt", "not data")
        zf.writestr(SHARD, (real_dir / "rna_0621" / SMALL).read_bytes())  # same name, other content
    n_small = len(read_rows(real_dir / "rna_0621" / SMALL)[1])
    (rel,) = discover(raw).releases
    assert [f.name for f in rel.tweets] == [f"{z.name}:{SHARD}#1", f"{z.name}:{SHARD}#2"]
    report = stages.ensure_loaded(rel, work)
    assert report["tweets_read"] == 13 + n_small and report["duplicate_tweets_dropped"] == 0
    got = store.read("RNA_0621", "tweets", ["tweetid", "source_file"], layer="interim", work_dir=work)
    first = {r[0] for r in read_rows(real_dir / "rna_0621" / SHARD)[1]}
    assert set(got.loc[got["source_file"].str.endswith("#1"), "tweetid"]) == first
    assert got["source_file"].str.endswith("#2").sum() == n_small


# --- Mac debris ----------------------------------------------------------------------------------------

def test_mac_unzip_debris_is_skipped_and_listed_as_ignored(real_dir: Path, small_raw: Path, tmp_path: Path):
    debris = [small_raw / f"._{SHARD}", small_raw / "__MACOSX" / f"._{SHARD}",
              small_raw / "__MACOSX" / SHARD,  # a full copy under __MACOSX is not read either
              small_raw / "__MACOSX" / "sub" / f"._{USERS}"]
    for p in debris:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(APPLEDOUBLE if p.name.startswith("._") else (small_raw / SHARD).read_bytes())
    z = small_raw / "RNA_0621_tweets_csv_hashed_2014.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(SMALL, (real_dir / "rna_0621" / SMALL).read_bytes())
        zf.writestr(f"__MACOSX/._{SMALL}", APPLEDOUBLE)
        zf.writestr(f"._{SMALL}", APPLEDOUBLE)
    found = discover(small_raw)
    assert set(debris) | {z / f"__MACOSX/._{SMALL}", z / f"._{SMALL}"} <= set(found.ignored)
    (rel,) = found.releases
    assert [f.name for f in rel.tweets] == [f"{z.name}:{SMALL}", SHARD]
    assert stages.prepare(small_raw, tmp_path / "work") == ["RNA_0621"]
    n_small = len(read_rows(real_dir / "rna_0621" / SMALL)[1])
    assert stages.load_report("RNA_0621", tmp_path / "work")["tweets_read"] == 13 + n_small


# --- topics: stamp and swap ----------------------------------------------------------------------------

def _topics(release: str, n: int, label: str):
    from ioa_utils.topics.model import ReleaseTopics, TopicParams

    assignments = pd.DataFrame({"tweetid": [str(i) for i in range(n)], "topic": [i % 3 for i in range(n)]})
    table = pd.DataFrame({"topic": [0, 1, 2], "label": [f"{label}{i}" for i in range(3)]})
    return ReleaseTopics(release, TopicParams(seed=n), assignments, table)


def test_topics_are_stamped_and_swapped_without_delete_before_write(small_raw: Path, tmp_path: Path,
                                                                    monkeypatch):
    from ioa_utils.topics import pipeline as tp

    work = tmp_path / "work"
    stages.prepare(small_raw, work)
    base = processed_dir("RNA_0621", work)
    tp.save_release(_topics("RNA_0621", 13, "a"), work)
    stamp = stageio.read_stamp(base / "topic_model")
    assert stamp["stage"] == "topics" and stamp["rows"] == {"topics.parquet": 13, "topic_table.parquet": 3}
    assert stamp["inputs"]["processed"] == tp.processed_version("RNA_0621", work)
    first = _snapshot(base)

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tp, "_verify", boom)  # fails after everything was written to the temp folder
    with pytest.raises(OSError, match="disk full"):
        tp.save_release(_topics("RNA_0621", 7, "b"), work)
    assert _snapshot(base) == first and not _temp_names(work)
    monkeypatch.undo()

    with pytest.raises(RuntimeError, match="rebuilt while its topics were fitted"):
        tp.save_release(_topics("RNA_0621", 7, "b"), work, fitted_on="an older version")
    assert _snapshot(base) == first

    tp.save_release(_topics("RNA_0621", 7, "b"), work)
    assert len(tp.load_assignments("RNA_0621", work)) == 7 and list(tp.load_table("RNA_0621", work)["label"]) == [
        "b0", "b1", "b2"]
    assert stageio.read_stamp(base / "topic_model")["rows"]["topics.parquet"] == 7
    assert stages.ensure_cleaned("RNA_0621", work)["tweets"] == 13  # the clean stage is still fresh
    assert not _temp_names(work)


def test_topics_refuse_to_replace_files_they_did_not_write(tmp_path: Path):
    from ioa_utils.topics import pipeline as tp

    base = processed_dir("toy", tmp_path)
    base.mkdir(parents=True)
    (base / "topics.parquet").write_text("someone else's file")
    with pytest.raises(stageio.NotOursError):
        tp.save_release(_topics("toy", 5, "a"), tmp_path)
    assert (base / "topics.parquet").read_text() == "someone else's file" and not _temp_names(tmp_path)
    (base / "topics.parquet").unlink()
    tp.save_release(_topics("toy", 5, "a"), tmp_path)
    tp.save_release(_topics("toy", 6, "a"), tmp_path)  # its own earlier output is replaced
    assert len(tp.load_assignments("toy", tmp_path)) == 6


# --- notebook 08's figures ----------------------------------------------------------------------------

def test_figures_go_inside_the_run_output_folder(tmp_path: Path):
    from ioa_utils.paths import NOTEBOOKS_DIR

    declared = pipeline.declared_parameters(NOTEBOOKS_DIR / "08_comparison.ipynb")
    assert declared["figures_dir"]["default"].strip("'\"") == "reports/figures"
    params = {"raw_dir": "r", "work_dir": "w"}
    assert pipeline.notebook_parameters(params, declared, tmp_path / "out")["figures_dir"] == str(
        tmp_path / "out" / "figures")
    assert "figures_dir" not in pipeline.notebook_parameters(params, declared, REPORTS_DIR)
    given = {**params, "figures_dir": "mine"}
    assert pipeline.notebook_parameters(given, declared, tmp_path / "out")["figures_dir"] == "mine"
    assert "figures_dir" not in pipeline.notebook_parameters(params, {"raw_dir": {}}, tmp_path / "out")
