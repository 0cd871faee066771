"""A generated report for the interactive tests: the default synthetic archive at a small scale, one release
(China: CJK topic words, events, a co-retweet network), its stages, the interactive pages and the index.
Built once per test session (both test files reuse it)."""

from __future__ import annotations

from pathlib import Path

import pytest

RELEASE = "synth_china_052020"
SCALE = 0.3  # about a third of the default archive: every page has content, the build takes seconds


def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report folder (``index.html``, ``interactive/``) of a small generated run."""
    base = tmp_path_factory.getbasetemp() / "interactive_report"
    out = base / "reports"
    if (out / "index.html").is_file():
        return out
    from ioa_utils import interactive, report, stages
    from ioa_utils.topics import pipeline as topics

    raw, work = base / "raw", base / "work"
    stages.ensure_synthetic(raw, seed=2020, scale=SCALE)
    stages.prepare(raw, work, scale=SCALE, releases=[RELEASE])
    topics.run([RELEASE], work)
    interactive.write([RELEASE], work, out)
    manifest = {"parameters": {"raw_dir": str(raw), "work_dir": str(work), "releases": [RELEASE]},
                "notebooks": [], "packages": {}, "git_commit": "test", "inputs_sha256": {}}
    report.write_index(out, manifest)
    return out
