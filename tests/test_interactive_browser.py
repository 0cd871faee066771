"""The report in a real browser: headless Chromium opens index.html and every interactive page of a small
generated report, and fails on console errors, exceptions, failed loads, broken links or images, requests
outside the files, and figures or networks that did not draw. Screenshots go to reports/screenshots/.

Chromium is Debian's ``chromium`` package (``.ci/run`` and the GitHub workflow install it; ``IOA_CHROMIUM``
names another binary). Where it is missing the tests skip, saying so, unless ``IOA_REQUIRE_BROWSER`` is set (the
GitHub workflow sets it, so a runner without the browser fails instead of passing silently)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import browser
import pytest
from interactive_report import built

from ioa_utils.paths import REPORTS_DIR

SCREENSHOTS = REPORTS_DIR / "screenshots"
# what the page drew: plotly figures and their SVG, vis-network canvases, images not loaded, every link
DOM_CHECK = """{
  plots: document.querySelectorAll('.plotly-graph-div').length,
  drawn: document.querySelectorAll('.plotly-graph-div .main-svg').length,
  canvases: document.querySelectorAll('#mynetwork canvas').length,
  broken_images: Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href)
}"""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chromium():
    binary = browser.find()
    if binary is None and os.environ.get("IOA_REQUIRE_BROWSER"):
        pytest.fail("IOA_REQUIRE_BROWSER is set (the GitHub workflow) but no Chromium was found (make install-browser)")
    if binary is None:
        pytest.skip("no Chromium: install Debian's chromium package (apt-get install chromium; .ci/run and the "
                    "GitHub workflow do) or set IOA_CHROMIUM to a Chromium or Chrome binary")
    try:
        import websocket  # noqa: F401
    except ImportError:
        pytest.skip("websocket-client is not installed (requirements/lock.txt)")
    with browser.Chromium(binary) as b:
        yield b


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    return built(tmp_path_factory)


def _local_target(url: str) -> Path | None:
    parsed = urlparse(url)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


def _check(chromium: browser.Chromium, page: Path, shot: str) -> browser.PageReport:
    r = chromium.open(page.as_uri(), SCREENSHOTS / f"{shot}.png", DOM_CHECK)
    assert r.console_errors == [], f"{page.name}: console errors {r.console_errors}"
    assert r.failed == [], f"{page.name}: failed loads {r.failed}"
    assert r.external == [], f"{page.name}: requests outside the report's files {r.external}"
    assert r.dom["broken_images"] == [], f"{page.name}: images that did not load {r.dom['broken_images']}"
    missing = [u for u in r.dom["links"] if (t := _local_target(u)) is not None and not t.exists()]
    assert missing == [], f"{page.name}: broken links {missing}"
    assert r.dom["drawn"] >= r.dom["plots"], f"{page.name}: a plotly figure did not draw"
    return r


def test_index_and_every_interactive_page_load_cleanly(chromium, report: Path):
    index = _check(chromium, report / "index.html", "index")
    folder = report / "interactive"
    listed = _check(chromium, folder / "index.html", "interactive_index")
    pages = [folder / p["href"] for p in json.loads((folder / "pages.json").read_text())]
    assert {_local_target(u) for u in listed.dom["links"]} >= set(pages)
    # every page the index links (notebook pages and the interactive index, via interactive.links_html) and
    # every interactive release page, each opened once
    linked = {t for u in index.dom["links"] if (t := _local_target(u)) is not None and t.suffix == ".html"}
    assert report / "01_tiny.html" in linked  # a notebook page, as nbconvert writes it for the report
    assert folder / "index.html" in linked  # the report's index links the interactive pages
    for page in sorted(linked | set(pages)):
        r = _check(chromium, page, page.stem)
        if page.stem.endswith("_network"):
            assert r.dom["canvases"] == 1, f"{page.name}: the network did not draw"
        elif page in pages:
            assert r.dom["plots"] >= 4 and r.dom["drawn"] >= r.dom["plots"], f"{page.name}: figures missing"


def test_the_browser_check_can_fail(chromium, tmp_path: Path):
    """A page with a script error, a missing image and a CDN script is caught on each count."""
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><img src='missing.png'><a href='nowhere.html'>x</a>"
                   "<script src='https://cdn.invalid/x.js'></script><script>undefinedFunction()</script>"
                   "</body></html>")
    r = chromium.open(bad.as_uri(), None, DOM_CHECK)
    assert any("undefinedFunction" in e for e in r.console_errors)
    assert r.external == ["https://cdn.invalid/x.js"]
    assert r.dom["broken_images"] and r.failed
    assert any(not _local_target(u).exists() for u in r.dom["links"])


def test_index_links_the_interactive_report(report: Path):
    assert "interactive/index.html" in (report / "index.html").read_text()
