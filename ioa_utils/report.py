"""The report's front page: ``reports/index.html``."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

_STYLE = """body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}
code{background:#f3f3f3;padding:0 .2rem}h1{margin-bottom:.2rem}.muted{color:#666}"""


def headline_table(manifest: dict) -> str:
    from .discover import discover
    from .profile import load_table

    params = manifest["parameters"]
    try:
        rels = [r.release for r in discover(params.get("raw_dir", "data/raw/synthetic"),
                                             params.get("releases")).releases]
        return load_table(rels, params.get("work_dir", "data")).to_html(border=0)
    except (FileNotFoundError, KeyError) as exc:
        return f"<p>No release table: {html.escape(str(exc))}</p>"


def write_index(out_dir: Path, manifest: dict) -> Path:
    links = "".join(
        f"<li><a href='{Path(n['notebook']).with_suffix('.html').name}'>{html.escape(Path(n['notebook']).stem)}"
        f"</a> <span class='muted'>({n['wall_time_s']} s)</span></li>"
        for n in manifest["notebooks"]
    )
    inputs = pd.DataFrame(
        [(rel, name, sha) for rel, files in manifest.get("inputs_sha256", {}).items() for name, sha in files.items()],
        columns=["release", "file", "sha256"],
    )
    raw_dir = manifest["parameters"].get("raw_dir", "data/raw/synthetic")
    versions = ", ".join(f"{k} {v}" for k, v in manifest["packages"].items())
    page = f"""<!doctype html><html><head><meta charset='utf-8'><title>ioa-notebooks report</title>
<style>{_STYLE}</style></head><body>
<h1>ioa-notebooks report</h1>
<p class='muted'>State-backed information operations in Twitter's archive: rebuilt end to end by
<code>make report</code>. Data folder: <code>{html.escape(str(raw_dir))}</code>.</p>
<h2>Releases</h2>{headline_table(manifest)}
<h2>Notebooks</h2><ol>{links}</ol>
<h2>Provenance</h2>
<p>Commit <code>{html.escape(manifest['git_commit'])}</code>. Parameters:
<code>{html.escape(json.dumps(manifest['parameters'], sort_keys=True))}</code>.</p>
<p>Versions: {html.escape(versions)}.</p>
<h3>Input files (SHA-256)</h3>{inputs.to_html(index=False, border=0)}
</body></html>"""
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
