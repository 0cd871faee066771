"""Results are stated by computed sentences (``ioa_utils.findings``), never by fixed Markdown prose.

(a) Each findings function on small hand-made inputs, including outcomes the default synthetic archive
does not produce, checking that the sentence follows the data.
(b) A guard over every Markdown cell of ``notebooks/*.ipynb``: no decimal numbers, no percentages, no
result words next to numbers, no outcome claims ("almost perfectly", "high precision", "stays silent",
"all ... recovered"), apart from a short explicit allow-list of legitimate prose numbers.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest

from ioa_utils import findings
from ioa_utils.casestudy.base import Finding
from ioa_utils.casestudy.china import CAMPAIGN_ROLES
from ioa_utils.ground_truth import GroundTruth
from ioa_utils.paths import PROJECT_ROOT

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))
# the last commit whose notebooks stated results as fixed prose
OLD_PROSE_COMMIT = "6170b31b2f1cb06ff02bcb7faef697e764edd738"


# --- the guard ----------------------------------------------------------------------------------------------

ALLOWED = (  # legitimate prose numbers, removed before scanning
    # facts from Twitter's disclosures / SIO's published reports (05-07)
    "23,750 core accounts (348,608 tweets)", "about 150,000 amplifiers", "1,152 accounts (3,434,792 tweets)",
    "7,340 accounts (36,948,524 tweets)", "June 2020",
    # time windows and method parameters stated as definitions (04, 05-08)
    "9–18 h", "9-18 h", "between 9 and 18 h", "below 60 s", "as 0 s", "multiples of 60 and possibly 0",
    "fastest 10 %", "Wilson 95% intervals",
    "(Pacheco et al., 2021)",  # a citation (04)
)
DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")
PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|per ?cent\b)")
NUMBER = re.compile(r"(?<![\w.-])\d[\d,]*(?:\.\d+)?(?![\w])")
RESULT_WORD = re.compile(r"\b(nmi|ari|f1|precision|recall|cosine|accuracy|lowest|highest|largest|smallest|most|least|"
                         r"best|worst|recover\w*|found|finds|flag\w*|silent|perfect\w*|exactly|stays?|peaks?|"
                         r"significant|merged?|merges)\b", re.IGNORECASE)
NEAR = 60  # characters between a result word and a number
CLAIMS = (  # outcome claims that need no number
    r"\b(almost|nearly)\s+(perfectly|exactly|all)\b",
    r"\bhigh\s+(precision|recall|accuracy)\b",
    r"\bsilent\s+elsewhere\b",
    r"\bstays?\b[^.]{0,20}\bsilent\b",
    r"\ball\b[^.]{0,60}\b(are|were)\s+(recovered|found|detected)\b",
    r"\b(stays?|remains?|is|are)\s+(the\s+)?(lowest|highest)\b",
    r"\bmeasured on the\b",
    r"^on the synthetic (release|archive)\b.*\b(recovers?|finds?|found|separates?|singles? out|fires?|differ)\b",
)


def _clean(text: str) -> str:
    """Markdown without code spans, section numbers and allow-listed snippets, on one line."""
    text = re.sub(r"`[^`]*`", "CODE", text)
    text = re.sub(r"(?m)^#+\s*\d+[a-z]?\s*[.·]", "#", text)
    text = re.sub(r"\s+", " ", text)
    for ok in ALLOWED:
        text = text.replace(ok, "ALLOWED")
    return text


def prose_problems(text: str) -> list[str]:
    """What in one Markdown text states a computed result (empty: nothing)."""
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z*#(])", _clean(text)):
        found += [f"decimal {m.group()!r}" for m in DECIMAL.finditer(sentence)]
        found += [f"percentage {m.group()!r}" for m in PERCENT.finditer(sentence)]
        for w in RESULT_WORD.finditer(sentence):
            for n in NUMBER.finditer(sentence):
                if max(n.start() - w.end(), w.start() - n.end()) <= NEAR:
                    found.append(f"result word {w.group()!r} next to {n.group()!r}")
        found += [f"claim {m.group()!r}" for pat in CLAIMS
                  for m in [re.search(pat, sentence.strip(), re.IGNORECASE)] if m]
    return found


def notebook_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Problems of every Markdown cell of a notebook, prefixed by the cell's index and first line."""
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            out += [f"cell {i} ({cell.source.splitlines()[0][:40]!r}): {p}" for p in prose_problems(cell.source)]
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_markdown_states_no_computed_result(path: Path) -> None:
    problems = notebook_problems(nbformat.read(path, as_version=4))
    assert not problems, "state results with ioa_utils.findings, not in Markdown:\n" + "\n".join(problems)


@pytest.mark.parametrize("text", [
    "Measured on the default synthetic archive: Russia NMI 0.910 (ARI 0.906), Turkey 0.927 (0.985).",
    "China stays lowest because of Taiwan, which has no topic of its own.",
    "Exact co-tweeting recovers the planted groups almost perfectly.",
    "On the synthetic release the chapter's methods recover what was planted with high precision.",
    "On the synthetic release, all four tactics planted there are recovered.",
    "Each detector fires where its tactic was planted and stays (nearly) silent elsewhere.",
    "Keyword labels match 98 % of the planted tweets.",
    "The core rule finds 92 of 206 planted core accounts.",
    "On the synthetic release, keyword matching of names and bios finds the accounts planted as offices.",
])
def test_guard_catches_result_prose(text: str) -> None:
    assert prose_problems(text)


@pytest.mark.parametrize("text", [
    "## 6 · Do the topics recover the planted narratives?",
    "CooRnet's estimate looks at the fastest 10 % of shared items.",
    "In June 2020 Twitter removed 1,152 accounts (3,434,792 tweets) of the \"Current Policy\" network.",
    "The heat map counts tweets per weekday and hour; the box marks weekdays 9–18 h.",
    "Accounts with at least `min_tweets` tweets, `office_share` or more of them in office hours, are flagged.",
    "Two topics of different script groups are merged when each is the other's most similar topic.",
])
def test_guard_allows_method_prose(text: str) -> None:
    assert prose_problems(text) == []


def test_guard_fails_on_the_old_fixed_prose() -> None:
    """The committed notebooks before this change stated results in Markdown: the guard must catch them."""
    caught = {}
    for name in ("03_topics", "04_networks", "05_case_china", "06_case_russia", "07_case_turkey", "08_comparison"):
        try:
            raw = subprocess.run(["git", "show", f"{OLD_PROSE_COMMIT}:notebooks/{name}.ipynb"], cwd=PROJECT_ROOT,
                                 capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            pytest.skip(f"commit {OLD_PROSE_COMMIT} not available (no git history)")
        caught[name] = notebook_problems(nbformat.reads(raw, as_version=4))
    assert all(caught.values()), {k: v for k, v in caught.items() if not v}
    assert any("0.910" in p for p in caught["03_topics"])


# --- hand-made inputs ---------------------------------------------------------------------------------------

def _truth(release: str, accounts: pd.DataFrame | None = None, tweets: pd.DataFrame | None = None) -> GroundTruth:
    acc = accounts if accounts is not None else pd.DataFrame(columns=["userid", "role", "group", "group_kind",
                                                                      "is_control"])
    tw = tweets if tweets is not None else pd.DataFrame(columns=["tweetid", "narrative"])
    return GroundTruth(release, acc, tw)


def _topics_release(split_taiwan: bool, linked: bool = True) -> tuple[SimpleNamespace, GroundTruth]:
    """Two script groups, narratives hk and covid in both; taiwan either its own topic (2) or split
    (cjk taiwan tweets to the hk topic, latin ones to the covid topic). Linked: cjk:k + latin:k -> topic k."""
    rows = []
    for group in ("cjk", "latin"):
        for nar, topic in (("hk", 0), ("covid", 1), ("taiwan", 2)):
            for i in range(6):
                t = topic
                if nar == "taiwan" and split_taiwan:
                    t = 0 if group == "cjk" else 1
                rows.append({"tweetid": f"{group}-{nar}-{i}", "userid": f"u{i}", "group": group, "topic": t,
                             "narrative": nar})
    df = pd.DataFrame(rows)
    if not linked:  # one topic per group: latin topics get their own ids
        df["topic"] = df["topic"] + (df["group"] == "latin") * 3
    labels = {0: "0_hk", 1: "1_covid", 2: "2_taiwan", 3: "3_hk_en", 4: "4_covid_en", 5: "5_taiwan_en"}
    df["topic_label"] = df["topic"].map(labels)
    ids = sorted(df["topic"].unique())
    if linked:
        table = pd.DataFrame({"topic": ids, "label": [labels[t] for t in ids], "group": "cjk+latin",
                              "members": [f"cjk:{t} latin:{t}" for t in ids]})
        links = [(f"cjk:{t}", f"latin:{t}", 0.5) for t in ids]
        groups = {"cjk": SimpleNamespace(topic_map={t: t for t in ids}),
                  "latin": SimpleNamespace(topic_map={t: t for t in ids})}
    else:
        table = pd.DataFrame({"topic": ids, "label": [labels[t] for t in ids],
                              "group": ["cjk" if t < 3 else "latin" for t in ids],
                              "members": [f"cjk:{t}" if t < 3 else f"latin:{t - 3}" for t in ids]})
        links, groups = [], {}
    res = SimpleNamespace(frame=df.drop(columns="narrative"), topics=table, links=links, groups=groups)
    return res, _truth("r", tweets=df[["tweetid", "narrative"]])


def _planted(res: SimpleNamespace, gt: GroundTruth) -> pd.DataFrame:
    from ioa_utils import topics

    return topics.planted(res.frame, gt)


def _score(res: SimpleNamespace, gt: GroundTruth) -> dict:
    from ioa_utils.topics import agreement

    return agreement(_planted(res, gt))


def test_topic_agreement_ranks_and_names_the_split_narrative() -> None:
    good, gt_good = _topics_release(split_taiwan=False)
    bad, gt_bad = _topics_release(split_taiwan=True)
    results, truth = {"good": good, "bad": bad}, {"good": gt_good, "bad": gt_bad}
    planted = {r: _planted(results[r], truth[r]) for r in results}
    text = findings.topic_agreement({r: _score(results[r], truth[r]) for r in results}, results, planted).data
    assert text.index("good NMI") < text.index("bad NMI")
    assert "bad scores lowest" in text and "taiwan" in text
    # the ranking follows the scores, not the names
    flipped = findings.topic_agreement({"good": {"nmi": 0.1, "ari": 0.0}, "bad": {"nmi": 0.9, "ari": 0.9}},
                                       results, planted).data
    assert "good scores lowest" in flipped and "every planted narrative" in flipped
    # linking merged cjk and latin topics of the same narrative: without it the score is lower
    assert "linking raises its NMI" in text
    assert findings.topic_agreement({"x": None}, {}, {}).data.startswith("No release has planted narratives")


def test_topic_agreement_without_links() -> None:
    res, gt = _topics_release(split_taiwan=False, linked=False)
    text = findings.topic_agreement({"r": _score(res, gt)}, {"r": res}, {"r": _planted(res, gt)}).data
    assert "No topics were linked" in text and "scores lowest" not in text


def test_merged_topics_names_campaign_organic_merges() -> None:
    res, gt = _topics_release(split_taiwan=False)
    text = findings.merged_topics({"r": res}, {"r": _planted(res, gt)}).data
    assert "3 pairs" in text and "Every merge joins members with the same main planted narrative" in text
    assert "No organic topic is merged" in text
    # make the latin member of topic 2 organic: now a campaign topic swallowed an organic one
    tw = gt.tweets.copy()
    tw.loc[tw["tweetid"].str.startswith("latin-taiwan"), "narrative"] = "organic_sport"
    text = findings.merged_topics({"r": res}, {"r": _planted(res, _truth("r", tweets=tw))}).data
    assert "Campaign and organic topics merged: 2_taiwan" in text and "different main narratives: 2_taiwan" in text
    unlinked, gt2 = _topics_release(split_taiwan=False, linked=False)
    assert "no topics merged" in findings.merged_topics({"r": unlinked}, {"r": _planted(unlinked, gt2)}).data


def test_narrative_splits_follows_the_tweets() -> None:
    res, gt = _topics_release(split_taiwan=True)
    text = findings.narrative_splits({"r": res}, {"r": _planted(res, gt)}).data
    assert "taiwan has no topic of its own; its 12 planted tweets went to" in text
    assert "0_hk (6; mostly hk) and 1_covid (6; mostly covid)." in text
    assert "cjk tweets mostly to 0_hk (6 of 6)" in text and "latin tweets mostly to 1_covid (6 of 6)" in text
    out = res.frame["tweetid"].isin(["latin-taiwan-0", "latin-taiwan-1"])
    res.frame.loc[out, ["topic", "topic_label"]] = [-1, "-1_outliers"]
    text = findings.narrative_splits({"r": res}, {"r": _planted(res, gt)}).data
    assert "went to 0_hk (6; mostly hk), 1_covid (4; mostly covid) and the outliers (2)." in text
    res, gt = _topics_release(split_taiwan=False)
    text = findings.narrative_splits({"r": res}, {"r": _planted(res, gt)}).data
    assert "every planted narrative is the main narrative" in text


def test_link_evidence_compares_evidence_kinds() -> None:
    res, gt = _topics_release(split_taiwan=False)
    tw = res.frame[["tweetid"]].copy()
    nar = gt.tweets.set_index("tweetid")["narrative"]
    tw["hashtags"] = [[nar[t]] for t in tw["tweetid"]]  # hashtags follow the narrative
    # accounts: the cjk hk topic and the latin covid topic share all their posters
    a = res.frame.copy()
    shared = {("cjk", 0), ("latin", 1)}
    a["userid"] = ["shared" if (g, t) in shared else f"{g}{t}" for g, t in zip(a["group"], a["topic"], strict=True)]
    res.frame = a
    res.params = SimpleNamespace(link_evidence=("hashtags",))
    text = findings.link_evidence({"r": res}, tweets={"r": tw}).data
    assert "Of the 3 cross-script links" in text
    assert "hashtags (used for linking): 3 of 3" in text
    m = re.search(r"accounts \(posting or retweeting\): (\d) of 3 \(e\.g\. (\S+) is at least as close to (\S+),", text)
    assert m and int(m.group(1)) < 3 and {m.group(2), m.group(3)} == {"cjk:0", "latin:1"}
    unlinked, _ = _topics_release(split_taiwan=False, linked=False)
    assert findings.link_evidence({"r": unlinked}, tweets={"r": tw}).data.startswith("No topics were linked")


def _scores(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["trace", "positives", "precision", "recall"])


def test_trace_recovery_names_partial_and_false_positive_traces() -> None:
    perfect = {"a": _scores([("co_tweet", 5, 1.0, 1.0), ("co_url", 5, 1.0, 1.0)])}
    assert "2 of 2 traces recover" in findings.trace_recovery(perfect).data
    mixed = {"a": _scores([("co_tweet", 5, 1.0, 1.0), ("co_url", 5, 1.0, 0.2), ("hashtag_sequence", 5, 0.7, 1.0),
                           ("fast_retweet", 0, float("nan"), float("nan"))]),
             "b": _scores([("co_tweet", 4, 1.0, 1.0), ("co_url", 4, 1.0, 0.5), ("hashtag_sequence", 4, 1.0, 1.0),
                           ("co_mention", 3, float("nan"), 0.0)])}
    text = findings.trace_recovery(mixed).data
    assert "1 of 4 traces recover their planted targets with precision and recall of at least 0.95 (co_tweet)" in text
    assert "co_url (recall 0.200–0.500, over 2 releases)" in text
    assert "With false positives (precision below 0.95): hashtag_sequence (precision 0.700–1.000" in text
    assert "Flagging none of their targets: co_mention" in text and "fast_retweet" not in text
    assert "at least 0.8" in findings.trace_recovery(mixed, good=0.8).data
    assert findings.trace_recovery({"a": None}).data.startswith("No ground truth")


def test_null_model_reports_the_weakest_release() -> None:
    row = {"trace": "co_retweet", "edges": 10, "significant": 10, "share significant": 1.0}
    s = pd.DataFrame([{"release": "a", **row}, {"release": "b", **row}])
    assert "co_retweet: every edge significant in every release" in findings.null_model(s, 0.05).data
    s.loc[1, ["significant", "share significant"]] = [9, 0.9]
    assert "lowest share significant 0.900 in b (9 of 10 edges)" in findings.null_model(s, 0.05).data
    two = pd.concat([s.assign(**{"null model": "swap"}), s.assign(**{"null model": "item", "significant": 0,
                                                                     "share significant": 0.0})])
    text = findings.null_model(two, 0.05).data
    assert "co_retweet under the swap null: lowest share significant 0.900 in b" in text
    assert "co_retweet under the item null: no edge significant in any release" in text


def test_missed_by_trace_explains_missed_amplifiers() -> None:
    acc = pd.DataFrame({"userid": ["a1", "a2", "a3", "a4", "r1", "r2", "c1"],
                        "role": ["amplifier"] * 4 + ["ring"] * 2 + ["control"],
                        "group": ["g1"] * 4 + ["g2"] * 2 + [""],
                        "group_kind": ["amplification"] * 4 + ["retweet_ring"] * 2 + [""],
                        "is_control": [False] * 6 + [True]})
    edges = lambda pairs: pd.DataFrame(pairs, columns=["source", "target"]).assign(weight=1)  # noqa: E731
    nets = {"r": {"co_retweet": edges([("a1", "a2"), ("r1", "r2")]), "amplification": edges([("a3", "core")])}}
    tweets = {"r": pd.DataFrame({"userid": ["a3", "a3", "a4"], "tweet_kind": ["retweet", "retweet", "retweet"]})}
    text = findings.missed_by_trace("co_retweet", nets, tweets, {"r": _truth("r", acc)}).data
    assert "amplification 0.500 in r" in text and "retweet_ring 1.000 in r" in text
    assert "The 2 amplification accounts it misses in r made a median of 1.5 retweets; the amplification trace " \
           "links 1 of them." in text
    nets["r"]["co_retweet"] = edges([("a1", "a2"), ("a3", "a4"), ("r1", "r2")])
    assert "misses" not in findings.missed_by_trace("co_retweet", nets, tweets, {"r": _truth("r", acc)}).data


def _table(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["detector", "positives", "flagged", "precision", "recall"]).set_index("detector")


def test_detector_scores_follow_the_table() -> None:
    all_good = _table([("rings", 26, 26, 1.0, 1.0), ("batches", 14, 14, 1.0, 1.0)])
    assert findings.detector_scores(all_good).data.startswith("2 of 2 detectors recover")
    worse = _table([("rings", 26, 30, 0.8, 1.0), ("batches", 14, 7, 1.0, 0.5), ("hire", 0, 0, float("nan"), 0.0)])
    text = findings.detector_scores(worse).data
    assert text.startswith("0 of 2 detectors recover")
    assert "batches (recall 0.500)" in text and "rings (precision 0.800, recall 1.000)" in text
    assert "hire" not in text
    assert findings.detector_scores(None).data.startswith("No ground truth")


def _finding(name: str, users: list[str], roles: tuple[str, ...] = CAMPAIGN_ROLES, table=None,
             applicable: bool = True) -> Finding:
    return Finding(name, applicable, "evidence", pd.DataFrame({"userid": users}), table=table, roles=roles)


def test_narrative_labels_names_the_weakest_and_the_peak() -> None:
    scored = pd.DataFrame({"narrative": ["hk", "covid"], "precision": [1.0, 0.9], "recall": [0.8, 1.0]})
    months = pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01"])
    table = pd.DataFrame({"hk": [5, 1, 1], "covid": [0, 2, 9]}, index=months)
    text = findings.narrative_labels(scored.set_index("narrative"), _finding("n", ["u"], table=table), "covid").data
    assert "precision 0.900–1.000, recall 0.800–1.000" in text
    assert "lowest recall hk (0.800), lowest precision covid (0.900)" in text and "peak in 2020-03 (9 tweets)" in text
    text = findings.narrative_labels(None, _finding("n", ["u"], table=table), "hk").data
    assert "not scored" in text and "hk tweets peak in 2020-01" in text


def test_core_and_office_misses_count_the_reasons() -> None:
    acc = pd.DataFrame({"userid": ["c1", "c2", "c3", "a1", "a2", "x"], "role": ["core"] * 3 + ["amplifier"] * 2
                        + ["control"]})
    gt = _truth("r", acc)
    amp_table = pd.DataFrame({"userid": ["a1", "a2"], "is_amplifier": [True, True],
                              "top_targets": [["c1", "c2"], ["c1"]]})
    core = _finding("core", ["c1"], roles=("core",))
    text = findings.core_misses(core, _finding("amplifiers", ["a1", "a2"], ("amplifier",), amp_table), gt).data
    assert "misses 2 of 3 planted core accounts: 1 is a top target of no flagged amplifier and 1 is a top " \
           "target of 1 flagged amplifier." in text
    all_core = _finding("core", ["c1", "c2", "c3"], roles=("core",))
    assert "finds all 3" in findings.core_misses(all_core, _finding("amplifiers", []), gt).data
    off_table = pd.DataFrame({"userid": ["c1", "c2", "a1"], "n_tweets": [20, 30, 15], "office_share": [0.9, 0.2, 0.1]})
    off = _finding("office hours", ["c1"], table=off_table)
    text = findings.office_misses(off, gt, 10).data
    assert "misses 4 of 5 planted campaign accounts: 2 have fewer than `min_tweets` (10) tweets" in text
    assert "2 are tested" in text


def _profile(**kw) -> SimpleNamespace:
    base = {"tweeting accounts": 10, "tweets per tweeting account (median)": 5.0, "accounts created (median)":
            "2019-01-01", "median followers": 3.0, "% retweets": 20.0, "% tweets weekdays 9-18 h (UTC)": 50.0}
    return SimpleNamespace(summary=pd.Series({**base, **kw}, dtype=object))


def test_campaign_contrasts_follow_the_profiles() -> None:
    profs = {"big": _profile(**{"tweeting accounts": 700}), "small": _profile(**{"tweeting accounts": 40})}
    text = findings.campaign_contrasts(profs).data
    assert "big has the most accounts (700)" in text and "small has the fewest accounts (40)" in text
    assert "followers" not in text  # equal everywhere: not a contrast
    profs["small"] = _profile(**{"tweeting accounts": 900, "median followers": 0.0})
    text = findings.campaign_contrasts(profs).data
    assert "big has the fewest accounts (700) and the most followers (median 3)" in text
    assert findings.campaign_contrasts({"one": _profile()}).data.startswith("Only one release")


def test_detector_spread_lists_firing_outside_the_planted_release() -> None:
    china, russia = "synth_china_x", "synth_russia_x"
    acc_cn = pd.DataFrame({"userid": ["a1", "a2", "k1"], "role": ["amplifier", "amplifier", "control"]})
    acc_ru = pd.DataFrame({"userid": ["p1", "p2", "k2"], "role": ["official_poser", "core", "control"]})
    data = {china: SimpleNamespace(truth=_truth(china, acc_cn)), russia: SimpleNamespace(truth=_truth(russia, acc_ru))}
    found = {china: {"amplifiers": _finding("amplifiers", ["a1", "a2"], ("amplifier",)),
                     "official posers": _finding("official posers", [], ("official_poser",)),
                     "office hours": _finding("office hours", ["a1"])},
             russia: {"amplifiers": _finding("amplifiers", [], ("amplifier",)),
                      "official posers": _finding("official posers", ["p1"], ("official_poser",)),
                      "office hours": _finding("office hours", ["p2", "k2"])}}
    text = findings.detector_spread(found, data).data
    assert "office hours 2 in synth_russia_x (1 of them organic controls)" in text
    assert "Silent (or not applicable) outside them: amplifiers and official posers." in text
    assert "Silent where planted" not in text
    # amplifiers now also fire in Russia, where none were planted, and miss in China
    found[russia]["amplifiers"] = _finding("amplifiers", ["p2"], ("amplifier",))
    found[china]["amplifiers"] = _finding("amplifiers", [], ("amplifier",))
    text = findings.detector_spread(found, data).data
    assert "amplifiers 1 in synth_russia_x (none of them organic controls)" in text
    assert "Silent where planted: amplifiers." in text
    assert findings.detector_spread(found, {r: SimpleNamespace(truth=None) for r in data}).data.startswith("No ground")


def test_topic_baseline_names_releases_where_the_baseline_is_as_good() -> None:
    good = {"nmi topics": 0.9, "nmi tf-idf k-means": 0.6, "k": 5}
    text = findings.topic_baseline({"a": good, "b": {**good, "nmi tf-idf k-means": 0.95}, "c": None}).data
    assert "a: NMI 0.900 against 0.600 for TF-IDF + k-means with k = 5" in text
    assert "The baseline does as well or better in b." in text
    assert "beats the baseline in every release" in findings.topic_baseline({"a": good}).data
    assert findings.topic_baseline({"a": None}).data.startswith("No release has planted narratives")
