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
    notebook = _notebook(out / "01_tiny.ipynb")
    manifest = {"parameters": {"raw_dir": str(raw), "work_dir": str(work), "releases": [RELEASE]},
                "notebooks": [{"notebook": notebook.name, "parameters": {}, "wall_time_s": 0.1}], "packages": {},
                "git_commit": "test", "inputs_sha256": {}}
    report.write_index(out, manifest)
    return out


def _notebook(path: Path) -> Path:
    """An executed-looking notebook (Markdown, code, a text and an image output) and its HTML page, written as
    the pipeline writes each notebook's."""
    import base64
    import io

    import matplotlib.pyplot as plt
    import nbformat as nbf

    from ioa_utils import pipeline

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [1, 0])
    png = io.BytesIO()
    fig.savefig(png, format="png", bbox_inches="tight")
    plt.close(fig)
    code = nbf.v4.new_code_cell("print('香港')", execution_count=1, outputs=[
        nbf.v4.new_output("stream", name="stdout", text="香港\n"),
        nbf.v4.new_output("display_data", data={"image/png": base64.b64encode(png.getvalue()).decode()})])
    nb = nbf.v4.new_notebook(cells=[nbf.v4.new_markdown_cell("# A notebook\nWith *Markdown*."), code])
    path.parent.mkdir(parents=True, exist_ok=True)
    nbf.write(nb, path)
    pipeline.to_html(path)
    return path
