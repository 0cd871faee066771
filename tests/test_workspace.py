"""``ioa_utils.workspace.Workspace``: the raw and work folders resolved against the project root, immutable, and its
methods the stage and ground-truth functions called with its values."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from ioa_utils import ground_truth, paths, stages
from ioa_utils.workspace import Workspace


def test_defaults_are_the_notebooks_defaults():
    ws = Workspace()
    assert (ws.raw_dir, ws.work_dir, ws.seed, ws.scale) == (paths.DEFAULT_RAW_DIR, paths.DATA_DIR, 2020, 1.0)
    assert ws == Workspace("data/raw/synthetic", "data", 2020, 1.0)  # the notebooks' parameter values


def test_relative_paths_are_relative_to_the_project_root_not_the_cwd(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a kernel runs in notebooks/, make in the project root
    ws = Workspace("elsewhere/raw", "elsewhere/work")
    assert ws.raw_dir == paths.PROJECT_ROOT / "elsewhere" / "raw"
    assert ws.work_dir == paths.PROJECT_ROOT / "elsewhere" / "work"
    assert isinstance(ws.raw_dir, Path) and isinstance(ws.work_dir, Path)


def test_absolute_paths_are_kept_and_home_is_expanded(tmp_path: Path):
    ws = Workspace(str(tmp_path / "raw"), tmp_path / "work")
    assert (ws.raw_dir, ws.work_dir) == (tmp_path / "raw", tmp_path / "work")
    assert Workspace("~/raw").raw_dir == Path.home() / "raw"


def test_it_is_frozen_and_hashable():
    ws = Workspace(seed=7)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ws.seed = 8
    with pytest.raises(dataclasses.FrozenInstanceError):
        ws.work_dir = Path("/tmp")
    assert {ws, Workspace(seed=7)} == {ws}
    assert dataclasses.replace(ws, work_dir="w").work_dir == paths.PROJECT_ROOT / "w"  # replace resolves too


def test_from_params_takes_the_run_parameters_and_the_notebook_defaults():
    assert Workspace.from_params({}) == Workspace()
    got = Workspace.from_params({"raw_dir": "r", "work_dir": "/abs/w", "seed": 7, "scale": 0.5, "releases": ["x"]})
    assert got == Workspace(paths.PROJECT_ROOT / "r", Path("/abs/w"), 7, 0.5)


def test_prepare_and_release_ids_call_the_stage_functions_with_its_values(tmp_path: Path, monkeypatch):
    calls = []
    monkeypatch.setattr(stages, "prepare", lambda *a: calls.append(("prepare", a)) or ["r1"])
    monkeypatch.setattr(stages, "release_ids", lambda *a: calls.append(("release_ids", a)) or ["r2"])
    ws = Workspace(tmp_path / "raw", tmp_path / "work", 7, 0.5)
    assert ws.prepare(["r1"]) == ["r1"]
    assert ws.prepare() == ["r1"]
    assert ws.release_ids() == ["r2"]
    assert calls == [("prepare", (tmp_path / "raw", tmp_path / "work", 7, 0.5, ["r1"])),
                     ("prepare", (tmp_path / "raw", tmp_path / "work", 7, 0.5, None)),
                     ("release_ids", (tmp_path / "raw", 7, 0.5))]


def test_truth_reads_the_planted_ground_truth_of_its_raw_folder(tmp_path: Path):
    raw = tmp_path / "raw" / "synth_x"
    raw.mkdir(parents=True)
    accounts = pd.DataFrame({"userid": ["a", "b"], "role": ["core", "organic"]})
    accounts.to_parquet(raw / f"synth_x{ground_truth.ACCOUNTS_SUFFIX}")
    pd.DataFrame({"tweetid": ["1"], "narrative": ["n"]}).to_parquet(raw / f"synth_x{ground_truth.TWEETS_SUFFIX}")
    ws = Workspace(tmp_path / "raw", tmp_path / "work")
    gt = ws.truth("synth_x")
    pd.testing.assert_frame_equal(gt.accounts, accounts)
    assert gt.release == "synth_x"
    assert ws.truth("real_012021") is None  # a real release: no ground truth


def test_interim_and_processed_are_the_release_folders_below_work_dir(tmp_path: Path):
    ws = Workspace(work_dir=tmp_path)
    assert ws.interim("synth_x") == paths.interim_dir("synth_x", tmp_path) == tmp_path / "interim" / "synth_x"
    assert ws.processed("synth_x") == paths.processed_dir("synth_x", tmp_path) == tmp_path / "processed" / "synth_x"
    with pytest.raises(ValueError, match="unsafe release id"):
        ws.processed("../x")


def test_prepare_loads_and_cleans_a_tiny_synthetic_archive(tmp_path: Path):
    ws = Workspace(tmp_path / "raw", tmp_path / "work", seed=1, scale=0.02)
    stages.ensure_synthetic(ws.raw_dir, ws.seed, ws.scale)  # a generated folder: prepare keeps it (same seed, scale)
    marker = (ws.raw_dir / stages.SYNTHETIC_MARKER).read_bytes()
    releases = ws.prepare()
    assert releases == stages.release_ids(ws.raw_dir, 1, 0.02) and releases
    assert (ws.raw_dir / stages.SYNTHETIC_MARKER).read_bytes() == marker
    for r in releases:
        assert (ws.interim(r) / "load_report.json").exists() and (ws.processed(r) / "clean_report.json").exists()
        assert ws.truth(r) is not None
    assert ws.prepare(releases[:1]) == releases[:1]
