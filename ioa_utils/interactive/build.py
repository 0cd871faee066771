"""Write the interactive report: ``<out>/interactive/`` with one page per release (timeline with events,
topic overview) and one per release's co-retweet network, an index, and ``pages.json`` listing them.

Every page works offline from the file system: plotly.js is one local file beside the pages
(``plotly.min.js``, from the installed plotly package), the network pages inline vis-network (pyvis); nothing
is fetched from a CDN. These pages are not notebook outputs, so strict nbval never compares them.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from . import data, events, network, timeline, topics

FOLDER = "interactive"
PAGES = "pages.json"
PLOTLY_JS = "plotly.min.js"
STYLE = """body{font-family:system-ui,sans-serif;max-width:80rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}
.muted{color:#666}figure{margin:1.5rem 0}"""


def write(releases: list[str], work_dir: str | Path, out_dir: Path) -> Path:
    """Write the pages of ``releases`` into ``out_dir/interactive/``; return its index."""
    import plotly

    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PLOTLY_JS).write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")
    pages = []
    for release in releases:
        name = f"{release}.html"
        (folder / name).write_text(release_page(release, work_dir), encoding="utf-8")
        pages.append({"release": release, "kind": "timeline and topics", "href": name})
        edges, comms = network.co_retweet(release, work_dir)
        if len(edges):
            name = f"{release}_network.html"
            (folder / name).write_text(network.page(release, edges, comms), encoding="utf-8")
            pages.append({"release": release, "kind": "co-retweet network", "href": name})
    (folder / PAGES).write_text(json.dumps(pages, indent=2), encoding="utf-8")
    index = folder / "index.html"
    index.write_text(_page("Interactive report", "<h1>Interactive report</h1>" + _list(pages, "")),
                     encoding="utf-8")
    return index


def links_html(out_dir: Path) -> str:
    """The report index's section linking the interactive pages (hrefs relative to ``out_dir``); empty when
    they were not written."""
    listing = out_dir / FOLDER / PAGES
    if not listing.is_file():
        return ""
    pages = json.loads(listing.read_text())
    return (f"<h2>Interactive report</h2><p class='muted'>Explorable in the browser, offline: "
            f"<a href='{FOLDER}/index.html'>all interactive pages</a>.</p>{_list(pages, FOLDER + '/')}")


def release_page(release: str, work_dir: str | Path) -> str:
    """One release: its timeline with the curated events, and its topic overview."""
    day = data.daily(release, work_dir)
    start, end = (pd.Timestamp(day["day"].min()).date(), pd.Timestamp(day["day"].max()).date())
    marked = events.for_release(release, start, end)
    line = timeline.figure(release, day, data.daily_topics(release, work_dir, timeline.TOP_TOPICS), marked)
    topic_figs = [_figure(c, f) for c, f in topics.figures(release, work_dir)]
    return _page(release, "".join([
        f"<h1>{html.escape(release)}</h1><p><a href='index.html'>All interactive pages</a></p><h2>Timeline</h2>",
        _figure("Tweets per day; the red markers are real-world events (hover for the event and its source). "
                "Click a topic in the legend to draw it.", line),
        timeline.events_table(marked), "<h2>Topics</h2>",
        *(topic_figs or ["<p class='muted'>No topics: the topics stage has not run for this release.</p>"])]))


def _figure(caption: str, fig) -> str:
    body = fig.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False})
    return f"<figure>{body}<figcaption class='muted'>{html.escape(caption)}</figcaption></figure>"


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style><script src='{PLOTLY_JS}'></script></head><body>{body}</body></html>")


def _list(pages: list[dict], prefix: str) -> str:
    items = "".join(f"<li><a href='{html.escape(prefix + p['href'], quote=True)}'>{html.escape(p['release'])}: "
                    f"{html.escape(p['kind'])}</a></li>" for p in pages)
    return f"<ul>{items}</ul>"
