"""The interactive companion report: curated events, timeline, topic and network pages, links for the index."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from interactive_report import RELEASE, built

from ioa_utils import interactive, registry
from ioa_utils.interactive import events, network, timeline

EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def test_every_event_is_dated_sourced_and_for_known_countries():
    found = events.load()
    assert len(found) >= 20 and [e.date for e in found] == sorted(e.date for e in found)
    countries = {r.country for r in registry.releases()} | {events.EVERY}
    for e in found:
        assert e.label and e.source.startswith("https://") and set(e.countries) <= countries, e


def test_events_follow_the_release_country_and_dates():
    china = events.for_release(RELEASE, dt.date(2019, 1, 1), dt.date(2020, 6, 1))
    labels = [e.label for e in china]
    assert any("HK" in x for x in labels) and any("Taiwan" in x for x in labels) and any("WHO" in x for x in labels)
    assert not any("Russia" in x or "Turkey" in x for x in labels)
    assert all(dt.date(2019, 1, 1) <= e.date <= dt.date(2020, 6, 1) for e in china)
    russia = events.for_release("synth_russia_052020", dt.date(2017, 1, 1), dt.date(2020, 4, 1))
    assert any("presidential election" in e.label for e in russia) and not any("HK" in e.label for e in russia)
    unknown = events.for_release("nowhere_012030", dt.date(2016, 1, 1), dt.date(2021, 1, 1))
    assert unknown and all(events.EVERY in e.countries for e in unknown)


def test_timeline_marks_each_event():
    daily = pd.DataFrame({"day": pd.date_range("2020-01-01", periods=60).date, "tweets": range(60)})
    topics = pd.DataFrame({"day": daily["day"][:3], "topic": 0, "topic_label": "0_香港_kong", "tweets": [1, 2, 3]})
    marked = events.for_release(RELEASE, daily["day"].min(), daily["day"].max())
    fig = timeline.figure(RELEASE, daily, topics, marked)
    names = [t.name for t in fig.data]
    assert names[0] == "all tweets" and "0_香港_kong" in names and names[-1] == "events"
    assert len(fig.data[-1].x) == len(marked) == len(fig.layout.shapes) >= 2
    table = timeline.events_table(marked)
    assert all(e.source in table for e in marked)


def test_network_page_is_offline_and_draws_the_strongest_accounts():
    edges = pd.DataFrame({"source": ["a", "a", "b", "c"], "target": ["b", "c", "c", "d"], "weight": [5, 4, 3, 1]})
    shown, degree = network.strongest(edges, max_nodes=3)
    assert set(shown["source"]) | set(shown["target"]) == {"a", "b", "c"} and degree["a"] == 9
    doc = network.page("r", edges, pd.Series({"a": 0, "b": 0, "c": 1, "d": 1}), max_nodes=3)
    assert not EXTERNAL.search(doc) and "vis.DataSet" in doc and "co-retweet network" in doc
    assert '"id": "d"' not in doc  # the weakest account is left out


def test_offline_check_removes_cdn_tags_and_fails_on_others():
    page = ('<link href="https://cdn.example/bootstrap.css" rel="stylesheet" />'
            '<script src="https://cdn.example/b.js" crossorigin="anonymous"></script><p>x</p>')
    assert network._offline(page) == "<p>x</p>"
    with pytest.raises(RuntimeError, match="external"):
        network._offline("<img src='//cdn.example/a.png'>")


def test_links_html_is_empty_until_written(tmp_path: Path):
    assert interactive.links_html(tmp_path) == ""


@pytest.mark.slow
def test_generated_report_pages(tmp_path_factory):
    out = built(tmp_path_factory)
    folder = out / "interactive"
    pages = json.loads((folder / "pages.json").read_text())
    assert [p["href"] for p in pages] == [f"{RELEASE}.html", f"{RELEASE}_network.html"]
    links = interactive.links_html(out)
    assert "interactive/index.html" in links and all(f"interactive/{p['href']}" in links for p in pages)
    page = (folder / f"{RELEASE}.html").read_text()
    assert page.count('class="plotly-graph-div"') >= 4  # timeline, then BERTopic's map, words, topics over time
    assert "intertopic distance map" in page and "Hong Kong" in page and "<script src='plotly.min.js'>" in page
    assert (folder / "plotly.min.js").stat().st_size > 1_000_000
    for p in folder.glob("*.html"):
        assert not EXTERNAL.search(p.read_text()), p.name


def test_topic_overview_without_saved_models_uses_the_assignments(tmp_path: Path):
    from ioa_utils.interactive import topics
    from ioa_utils.paths import processed_dir

    folder = processed_dir("r", tmp_path)
    folder.mkdir(parents=True)
    n = 12
    pd.DataFrame({"tweetid": [str(i) for i in range(n)], "userid": ["u1", "u2", "u3"] * 4,
                  "tweet_time": pd.date_range("2020-01-01", periods=n, freq="D", tz="UTC"),
                  "group": ["cjk", "latin"] * 6, "week": ["2019-12-30"] * 5 + ["2020-01-06"] * 7,
                  "topic": [0, 0, 1, -1] * 3, "topic_label": ["0_香港", "0_香港", "1_covid", "-1_outliers"] * 3,
                  }).to_parquet(folder / "topics.parquet")
    assert topics.model_groups("r", tmp_path) == {}
    (bars_caption, bars), (_, lines) = topics.figures("r", tmp_path)
    assert "no saved topic model" in bars_caption
    assert list(bars.data[0].y) == ["0_香港", "1_covid"] and list(bars.data[0].x) == [6, 3]  # outliers left out
    assert sorted(t.name for t in lines.data) == ["0_香港", "1_covid"]
    assert topics.figures("missing", tmp_path) == []
