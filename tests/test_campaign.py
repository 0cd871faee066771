"""Campaign files (``ioa_utils/data/campaigns/*.yaml``, ``casestudy.campaign``): the bundled three hold the keywords
and thresholds the chapters used, a bad file is refused naming file and key, a release finds its campaign, a user's
file labels tweets, editing a file changes the stage stamps, and the pipeline runs one case study per release."""

from __future__ import annotations

import dataclasses
import inspect
import json
from pathlib import Path

import nbformat as nbf
import pytest
import yaml
from casestudy_frames import accounts, tweets

from ioa_utils import pipeline, report
from ioa_utils.casestudy import campaign, china, labels, lexicon, narratives, russia, turkey
from ioa_utils.casestudy import stage as fstage
from ioa_utils.casestudy.base import CaseData

# the chapters' detectors and the campaign-file detector whose thresholds they take
DETECTORS = {china.personas: "personas", china.office_hours: "office_hours", russia.cheerleading: "cheerleading",
             russia.engagement: "engagement", russia.commercial_cluster: "retweet_for_hire",
             turkey.compromised: "compromised", turkey.single_issue_batches: "single_issue_batches",
             turkey.party_messaging: "party_messaging", narratives.narratives: "narratives"}


def _write(tmp_path: Path, doc: dict, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def _mine(**over) -> dict:
    return {"name": "mine", "narratives": {"football": ["goal*", "match"], "weather": ["rain", "sunny day"]},
            "sources": ["https://example.org/report"], **over}


def test_bundled_campaigns_are_the_three_flagships_with_their_lexicons():
    assert [c.name for c in campaign.bundled()] == ["china", "russia", "turkey"]
    assert list(lexicon.NARRATIVES) == ["china", "russia", "turkey"]
    assert list(lexicon.NARRATIVES["china"]) == ["hong_kong", "covid", "guo_wengui", "taiwan"]
    assert "covid*" in lexicon.NARRATIVES["china"]["covid"]
    turkey_file = campaign.load("turkey")
    assert turkey_file.promotion == ("akp_promo",) and turkey_file.attack == ("attack_hdp", "attack_chp")
    assert campaign.load("russia_052020").promotion == ("putin", "united_russia")
    for c in campaign.bundled():
        assert c.chapter and c.sources and all(not s.startswith("http") for s in c.sources)


def test_detector_defaults_come_from_the_template():
    for fn, det in DETECTORS.items():
        sig = inspect.signature(fn).parameters
        for key, value in campaign.DEFAULTS[det].items():
            assert sig[key].default == value, (fn.__name__, key)
    assert campaign.DEFAULTS["office_hours"]["hours"] == (9, 18)
    for c in campaign.bundled():  # the flagship files state the values the chapters used
        for det in c.thresholds:
            assert c.params(det) == campaign.DEFAULTS[det]


@pytest.mark.parametrize(("release", "name"), [
    ("synth_china_052020", "china"), ("china_052020", "china"),
    ("hashed_2020_05_russia_052020_russia_052020", "russia"), ("synth_turkey_052020", "turkey"),
    ("RNA_0621", None), ("thailand_092020", None)])
def test_a_release_finds_its_bundled_campaign(release: str, name: str | None):
    found = campaign.for_release(release)
    assert (found.name if found else None) == name


def test_a_given_file_is_used_unless_its_pattern_excludes_the_release(tmp_path: Path):
    anywhere = _write(tmp_path, _mine())
    assert campaign.for_release("RNA_0621", anywhere).name == "mine"
    assert campaign.for_release("RNA_0621", str(anywhere)).path == str(anywhere)
    tied = _write(tmp_path, _mine(releases="rna_0621"), "tied.yaml")
    assert campaign.for_release("RNA_0621", tied).name == "mine"
    assert campaign.for_release("thailand_092020", tied) is None
    other = _write(tmp_path, _mine(releases="other"), "o.yaml")
    assert campaign.for_release("synth_china_052020", other).name == "china"


def test_the_template_is_a_valid_campaign_file():
    c = campaign.load_file(campaign.folder() / campaign.TEMPLATE)
    assert c.name == "my_campaign" and c.narratives and not c.releases


@pytest.mark.parametrize(("change", "key", "says"), [
    ({"colour": "red"}, "colour", "unknown key"),
    ({"narratives": None}, "narratives", "missing"),
    ({"name": "My Campaign"}, "name", "lower-case"),
    ({"narratives": {"a": []}}, "narratives.a", "at least one keyword"),
    ({"narratives": {"a": ["Goal"]}}, "narratives.a", "lower case"),
    ({"releases": "rna_(0621"}, "releases", "regular expression"),
    ({"peak": "politics"}, "peak", "not among the narratives"),
    ({"attack": ["politics"]}, "attack", "not among the narratives"),
    ({"sources": ["my notes"]}, "sources", "nor a URL"),
    ({"thresholds": {"persona": {"max_followers": 3}}}, "thresholds.persona", "unknown detector"),
    ({"thresholds": {"personas": {"max_follower": 3}}}, "thresholds.personas.max_follower", "unknown parameter"),
    ({"thresholds": {"personas": {"max_followers": 2.5}}}, "thresholds.personas.max_followers", "whole number"),
    ({"thresholds": {"office_hours": {"min_share": "high"}}}, "thresholds.office_hours.min_share", "a number"),
    ({"thresholds": {"office_hours": {"hours": [18, 9]}}}, "thresholds.office_hours.hours", "two hours"),
])
def test_a_bad_file_is_refused_naming_file_and_key(tmp_path: Path, change: dict, key: str, says: str):
    path = _write(tmp_path, _mine(**change))
    with pytest.raises(campaign.CampaignError) as err:
        campaign.load(path)
    assert err.value.key == key and str(path) in str(err.value) and f"`{key}`" in str(err.value)
    assert says in str(err.value)


def test_unreadable_or_missing_files_are_refused(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(campaign.CampaignError, match="not valid YAML"):
        campaign.load(bad)
    with pytest.raises(campaign.CampaignError, match="not a bundled campaign"):
        campaign.load(tmp_path / "nowhere.yaml")


def test_thresholds_override_only_what_the_file_gives(tmp_path: Path):
    c = campaign.load(_write(tmp_path, _mine(thresholds={"personas": {"max_followers": 50},
                                                         "office_hours": {"hours": [8, 17]}})))
    assert c.params("personas") == {"max_followers": 50, "min_tweets": 1}
    assert c.params("office_hours")["hours"] == (8, 17) and c.params("engagement") == campaign.DEFAULTS["engagement"]
    assert campaign.thresholds(None, "personas") == campaign.DEFAULTS["personas"]


def _release() -> CaseData:
    tw = tweets([
        {"tweetid": "1", "userid": "a", "text_norm": "what a goal tonight", "tweet_time": "2020-01-05 10:00"},
        {"tweetid": "2", "userid": "a", "text_norm": "goals goals goals", "tweet_time": "2020-01-06 10:00"},
        {"tweetid": "3", "userid": "b", "text_norm": "rain again, then a sunny day", "tweet_time": "2020-02-05 10:00"},
        {"tweetid": "4", "userid": "b", "text_norm": "nothing to see", "tweet_time": "2020-02-06 10:00",
         "hashtags": ["goal"]},
        {"tweetid": "5", "userid": "b", "text_norm": "heavy rain", "tweet_time": "2020-02-07 10:00"},
        {"tweetid": "6", "userid": "b", "text_norm": "antigoal raining", "tweet_time": "2020-02-08 10:00"},
    ])
    return CaseData.from_frames("my_release_012020", tw, accounts(["a", "b"]))


def test_a_users_file_labels_tweets_with_its_keywords(tmp_path: Path):
    mine = campaign.load(_write(tmp_path, _mine(peak="football")))
    data = _release()
    f = narratives.narratives(data, mine, peak=mine.peak)
    assert f.applicable and list(f.table.columns) == ["football", "weather", "all tweets"]
    assert f.table["football"].sum() == 3 and f.table["weather"].sum() == 2  # tweet 6 matches no whole word
    assert "match a mine narrative" in f.evidence and "football peaks in 2020-01" in f.evidence
    got = data.query(narratives.labelled_sql(mine) + " ORDER BY tweetid")
    assert got["narrative"].tolist() == ["football", "football", "weather", "football", "weather"]
    assert dict(zip(f.accounts["userid"], f.accounts["main_narrative"], strict=True)) == {"a": "football",
                                                                                         "b": "weather"}


def test_a_bundled_campaign_reads_the_labels_stage():
    assert "FROM labels" in narratives.labelled_sql(campaign.load("china"))
    assert "FROM labels" in narratives.labelled_sql("turkey")
    edited = dataclasses.replace(campaign.load("china"), narratives={"covid": ("covid*",)})
    assert "FROM tweets" in narratives.labelled_sql(edited)


def test_party_messaging_groups_a_users_narratives(tmp_path: Path):
    mine = campaign.load(_write(tmp_path, _mine(promotion=["football"], attack=["weather"])))
    f = turkey.party_messaging(_release(), mine)
    assert f.applicable and "promotion 50% vs attacks 33%" in f.evidence


def test_editing_a_campaign_file_changes_the_stage_stamps(tmp_path: Path, monkeypatch):
    processed = tmp_path / "processed" / "synth_china_052020"
    processed.mkdir(parents=True)
    (processed / "_stage.json").write_text("{}")
    before_labels = labels.stamp("synth_china_052020", tmp_path)
    before_stage = fstage.stamp("synth_china_052020", tmp_path, "UTC")
    china_file = campaign.load("china")
    edited = dataclasses.replace(china_file, thresholds={"personas": {"max_followers": 9}})
    files = tuple(edited if c.name == "china" else c for c in campaign.bundled())
    monkeypatch.setattr(campaign, "bundled", lambda: files)
    after_stage = fstage.stamp("synth_china_052020", tmp_path, "UTC")
    assert after_stage["params"]["campaign"] != before_stage["params"]["campaign"]
    assert after_stage["params"]["campaigns"] != before_stage["params"]["campaigns"]
    monkeypatch.setitem(labels.NARRATIVES, "china", {**labels.NARRATIVES["china"], "covid": ("covid*",)})
    assert labels.stamp("synth_china_052020", tmp_path)["params"] != before_labels["params"]


# --- the pipeline: one case study per release ------------------------------------------------------------

def _nb(path: Path, params: str) -> None:
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbf.v4.new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbf.v4.new_code_cell("print('release', release)")]
    nbf.write(nb, path)


@pytest.fixture()
def books(tmp_path: Path) -> Path:
    folder = tmp_path / "nbs"
    folder.mkdir()
    for stem in ("01_load", "05_case_china", "06_case_russia", "07_case_turkey", "08_comparison"):
        _nb(folder / f"{stem}.ipynb", "release = None")
    _nb(folder / "case_study.ipynb", "release = None\ncampaign = None\ntimezone = None")
    return folder


def _plan(books: Path, releases: list[str], params: dict, only=None) -> list[tuple[str, dict]]:
    runs = pipeline.plan(pipeline.notebooks(books, only), params, books, only)
    return [(r.target, r.forced) for r in runs]


def test_each_release_gets_its_chapter_or_the_generic_case_study(books: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(pipeline, "run_releases", lambda params: ["RNA_0621", "synth_china_052020"])
    mine = _write(tmp_path, _mine())
    got = _plan(books, [], {"campaign": str(mine), "timezones": {"RNA_0621": "Africa/Harare"}})
    assert got == [("01_load.ipynb", {}), ("05_case_china.ipynb", {"release": "synth_china_052020"}),
                   ("case_RNA_0621.ipynb", {"release": "RNA_0621", "campaign": str(mine), "timezone": "Africa/Harare"}),
                   ("08_comparison.ipynb", {})]
    # no campaign file: the generic detectors only; a release mapped to a user's file leaves its chapter
    assert ("case_RNA_0621.ipynb", {"release": "RNA_0621", "campaign": None}) in _plan(books, [], {})
    got = _plan(books, [], {"campaigns": {"synth_china_052020": str(mine)}})
    assert [t for t, _ in got] == ["01_load.ipynb", "case_RNA_0621.ipynb", "case_synth_china_052020.ipynb",
                                   "08_comparison.ipynb"]


def test_the_default_releases_run_only_their_chapters(books: Path, monkeypatch):
    monkeypatch.setattr(pipeline, "run_releases",
                        lambda params: ["synth_china_052020", "synth_russia_052020", "synth_turkey_052020"])
    got = _plan(books, [], {})
    assert [t for t, _ in got] == ["01_load.ipynb", "05_case_china.ipynb", "06_case_russia.ipynb",
                                   "07_case_turkey.ipynb", "08_comparison.ipynb"]
    assert _plan(books, [], {}, only=["06"]) == [("06_case_russia.ipynb", {"release": "synth_russia_052020"})]


def test_a_bad_campaign_file_stops_the_run_before_any_notebook(books: Path, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setattr(pipeline, "run_releases", lambda params: ["RNA_0621"])
    bad = _write(tmp_path, _mine(thresholds={"personas": {"max_followers": 2.5}}))
    out = tmp_path / "reports"
    assert pipeline.run({"campaign": str(bad)}, out_dir=out, folder=books) == 1
    err = capsys.readouterr().err
    assert "FAILED before any notebook" in err and "`thresholds.personas.max_followers`" in err and str(bad) in err
    assert not list(out.glob("*.ipynb"))


def test_two_releases_of_one_chapter_get_a_copy_each(books: Path, monkeypatch):
    monkeypatch.setattr(pipeline, "run_releases", lambda params: ["china_052020", "synth_china_052020"])
    got = [t for t, _ in _plan(books, [], {}, only=["05"])]
    assert got == ["05_case_china_china_052020.ipynb", "05_case_china_synth_china_052020.ipynb"]


def test_the_index_has_a_section_per_release_linking_its_case_study():
    manifest = {"notebooks": [
        {"notebook": "01_load.ipynb", "parameters": {}, "wall_time_s": 1},
        {"notebook": "05_case_china.ipynb", "parameters": {"release": "synth_china_052020"}, "wall_time_s": 1,
         "release": "synth_china_052020"},
        {"notebook": "case_RNA_0621.ipynb", "parameters": {"release": "RNA_0621", "campaign": "/x/mine.yaml"},
         "wall_time_s": 1, "release": "RNA_0621"}]}
    html = report.case_section(manifest)
    assert "<h3 id='case-RNA_0621'>RNA_0621</h3>" in html and "href='case_RNA_0621.html'" in html
    assert "campaign: mine" in html and "href='05_case_china.html'" in html and "01_load" not in html
    assert json.dumps(manifest)  # the manifest stays JSON
