"""The report's front page: ``reports/index.html``."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from .interactive import links_html
from .workspace import Workspace

_STYLE = """body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}
code{background:#f3f3f3;padding:0 .2rem}h1{margin-bottom:.2rem}.muted{color:#666}"""


def headline_table(manifest: dict) -> str:
    from .discover import discover
    from .profile import load_table

    params = manifest["parameters"]
    try:
        ws = Workspace.from_params(params)
        rels = [r.release for r in discover(ws.raw_dir, params.get("releases")).releases]
        return load_table(rels, ws.work_dir).to_html(border=0)
    except (FileNotFoundError, KeyError) as exc:
        return f"<p>No release table: {html.escape(str(exc))}</p>"


def case_links(manifest: dict) -> dict[str, str]:
    """Release -> HTML link to its case study (the runs the pipeline made for one release, in run order)."""
    out: dict[str, list[str]] = {}
    for n in manifest["notebooks"]:
        if n.get("release"):
            page = Path(n["notebook"]).with_suffix(".html").name
            camp = n["parameters"].get("campaign") if "campaign" in n["parameters"] else None
            note = f" <span class='muted'>(campaign: {html.escape(Path(str(camp)).stem)})</span>" if camp else ""
            out.setdefault(n["release"], []).append(f"<a href='{page}'>{html.escape(Path(n['notebook']).stem)}</a>"
                                                    f"{note}")
    return {r: "<p>Case study: " + ", ".join(links) + "</p>" for r, links in out.items()}


def case_section(manifest: dict) -> str:
    """A section per release that has a case study, linking it (also when no findings could be read)."""
    links = case_links(manifest)
    if not links:
        return ""
    return "<h2>Case studies</h2>" + "".join(f"<h3 id='case-{html.escape(r)}'>{html.escape(r)}</h3>{link}"
                                             for r, link in links.items())


# The comparison notebook's key figures: file stem -> (casestudy.figures function, what it draws from: the releases'
# profiles or their case-study data, alt text). The index embeds them.
FIGURES = {"volume": ("fig_volume", "profiles", "tweets per month per release"),
           "tactics": ("fig_tactics", "data", "share of accounts each detector flags"),
           "hours": ("fig_release_hours", "profiles", "posting hours in each attributed time zone"),
           "mix": ("fig_mix", "profiles", "tweet kinds and followers per release")}
COMPARISON = "08_comparison"  # the notebook that saves FIGURES to its ``figures_dir``


def saved_figures(manifest: dict, out_dir: Path) -> bool:
    """Whether the comparison notebook ran in this report and saved every figure of FIGURES to
    ``out_dir/figures`` (the index then embeds those files rather than drawing them again)."""
    from .paths import resolve

    figs = (out_dir / "figures").resolve()
    for n in manifest.get("notebooks", []):
        if Path(n["notebook"]).stem == COMPARISON:
            folder = resolve(n.get("parameters", {}).get("figures_dir", "reports/figures"))
            return folder.resolve() == figs and all((figs / f"{name}.png").exists() for name in FIGURES)
    return False


def findings_section(manifest: dict, out_dir: Path) -> str:
    """Per release: the case-study profile, a short text (detectors and, on synthetic releases, their scores),
    and key figures in ``out_dir/figures/``, embedded. Assembled from the case-study stage's persisted profiles
    and findings (``compare.load_all``; built only where the notebooks have not), the same the comparison
    notebook shows: no analysis is computed here. The figures are the comparison notebook's files when it ran in
    this report (:func:`saved_figures`); otherwise (a partial run) they are drawn here by the same functions."""
    from .casestudy import compare, figures
    from .discover import discover

    params = manifest["parameters"]
    try:
        ws = Workspace.from_params(params)
        rels = [r.release for r in discover(ws.raw_dir, params.get("releases")).releases]
        data = compare.load_all(rels, ws, params.get("timezones") or {})
    except (FileNotFoundError, KeyError, ValueError) as exc:
        return f"<p>No findings: {html.escape(str(exc))}</p>"
    profs, found = compare.profiles(data), compare.findings(data)
    figs = out_dir / "figures"
    if not saved_figures(manifest, out_dir):
        import matplotlib.pyplot as plt

        figs.mkdir(parents=True, exist_ok=True)
        for name, (draw, source, _) in FIGURES.items():
            fig = getattr(figures, draw)({"profiles": profs, "data": data}[source])
            fig.savefig(figs / f"{name}.png", dpi=100, metadata={"Software": None})
            plt.close(fig)
    imgs = [f"<figure><img src='figures/{name}.png' alt='{alt}' style='max-width:100%'>"
            f"<figcaption class='muted'>{alt}</figcaption></figure>" for name, (_, _, alt) in FIGURES.items()]
    texts = "".join(f"<h3>{html.escape(r)}</h3><p>{html.escape(compare.summary_text(profs[r], found[r], d.truth))}</p>"
                    for r, d in data.items())
    synthetic = [r for r, d in data.items() if d.truth is not None]
    note = ("<p class='muted'>Synthetic releases ({}) test the methods against planted ground truth; their numbers "
            "describe how the detectors behave, not what the real campaigns did.</p>".format(
                html.escape(", ".join(synthetic))) if synthetic else
            "<p class='muted'>Real releases: no ground truth; flagged accounts are leads to verify.</p>")
    return (f"<h2>Findings</h2>{note}{texts}<h3>Side by side</h3>"
            f"{compare.profile_table(profs).to_html(border=0)}<h3>Tactics found (accounts flagged)</h3>"
            f"{compare.tactics_table(found).to_html(border=0)}{''.join(imgs)}")


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
{case_section(manifest)}
{findings_section(manifest, out_dir)}
<h2>Notebooks</h2><ol>{links}</ol>
{links_html(out_dir)}
<h2>Provenance</h2>
<p>Commit <code>{html.escape(manifest['git_commit'])}</code>. Parameters:
<code>{html.escape(json.dumps(manifest['parameters'], sort_keys=True))}</code>.</p>
<p>Versions: {html.escape(versions)}.</p>
<h3>Input files (SHA-256)</h3>{inputs.to_html(index=False, border=0)}
</body></html>"""
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
