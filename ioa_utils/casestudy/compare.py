"""All detectors on a release, and the campaigns side by side (comparison notebook and report).

The comparison computes no analysis of its own: :func:`run_all` is what the case-study stage
(``casestudy.stage``) runs once per release; :func:`load_all` reads those persisted findings and profiles back,
:func:`coordination_summary` the coordination stage's tables and :func:`topic_summary` the topics stage's
assignments, and the functions below lay them side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import store
from ..coordination import stage as cstage
from ..coordination.traces import DEFAULTS, Params
from ..ground_truth import GroundTruth
from ..paths import DATA_DIR, processed_dir
from ..workspace import Workspace
from . import china, russia, turkey
from .base import CaseData, Finding, score_table
from .campaign import DEFAULTS as DETECTOR_DEFAULTS
from .campaign import Campaign
from .profile import Profile

CHAPTERS = {"china": ("narratives", "amplifiers", "core", "zero-follower personas", "office hours"),
            "russia": ("official posers", "cheerleading", "low engagement", "retweet-for-hire"),
            "turkey": ("retweet rings", "compromised accounts", "single-issue batches", "party messaging")}


@dataclass
class Results:
    """One release as the comparison reads it: the case-study stage's profile and findings, the planted ground
    truth (``None`` on real data) and the number of accounts (rows of the accounts table)."""

    release: str
    profile: Profile
    findings: dict[str, Finding]
    truth: GroundTruth | None
    n_accounts: int


def run_all(data: CaseData, campaign: Campaign | None = None) -> dict[str, Finding]:
    """Every case-study detector on one release (China, Russia and Turkey chapters, each with its lexicon), by
    name, with the thresholds of ``campaign`` (the release's campaign file; None: the defaults)."""
    def p(detector: str) -> dict:
        return campaign.params(detector) if campaign is not None else DETECTOR_DEFAULTS[detector]

    amp, core = china.core_amplifiers(data)
    found = [china.narratives(data, "china", **p("narratives")), amp, core, china.personas(data, **p("personas")),
             china.office_hours(data, **p("office_hours")), russia.official_posers(data),
             russia.cheerleading(data, **p("cheerleading")), russia.engagement(data, **p("engagement")),
             russia.commercial_cluster(data, **p("retweet_for_hire")), turkey.rings(data),
             turkey.compromised(data, **p("compromised")),
             turkey.single_issue_batches(data, **p("single_issue_batches")),
             turkey.party_messaging(data, **p("party_messaging"))]
    return {f.name: f for f in found}


def tactics_table(findings: dict[str, dict[str, Finding]]) -> pd.DataFrame:
    """Detector x release: accounts flagged, or "n/a" when the detector does not apply."""
    rows = {}
    for rel, fs in findings.items():
        rows[rel] = {k: (f"{f.n_accounts}" if f.applicable else "n/a") for k, f in fs.items()}
    out = pd.DataFrame(rows)
    out.index.name = "detector"
    return out


def scores_table(findings: dict[str, dict[str, Finding]], truths: dict) -> pd.DataFrame | None:
    """Every applicable detector on every release with ground truth (``casestudy.score_table``): also where
    its roles were not planted, so the false positives it raises there are shown."""
    parts = {rel: s for rel, fs in findings.items() if (s := score_table(fs, truths.get(rel))) is not None}
    return pd.concat(parts, names=["release"]) if parts else None


def profile_table(profiles: dict[str, Profile]) -> pd.DataFrame:
    """The profiles' summaries side by side (one column per release)."""
    out = pd.DataFrame({r: p.summary.rename(lambda k: k.split(" (")[0] if k.startswith("% tweets weekdays") else k)
                        for r, p in profiles.items()})
    return out.rename(index={"% tweets weekdays 9-18 h": "% tweets weekdays 9-18 h, local"})


def coordination_summary(releases: list[str], work_dir: str | Path = DATA_DIR,
                         params: Params = DEFAULTS) -> pd.DataFrame:
    """Per release: retweet rings, amplifiers and their core, co-retweet and co-tweet networks and their
    Louvain communities, as the coordination stage computed them (the networks notebook's tables)."""
    rows = []
    for rel in releases:
        def read(table: str, rel: str = rel) -> pd.DataFrame:
            return cstage.read(rel, table, work_dir, params)

        rings, amp, summary, comms = read("rings"), read("amplifiers"), read("summary"), read("communities")
        edges = summary.set_index("trace")["edges"]
        row = {"release": rel, "retweet rings": rings["ring"].nunique(), "ring members": len(rings),
               "amplifiers": int(amp["is_amplifier"].sum()), "amplified core": len(read("core"))}
        for trace, label in (("co_retweet", "co-retweet"), ("co_tweet", "co-tweet")):
            row[f"{label} edges"] = int(edges[trace])
            row[f"{label} communities"] = int(comms.loc[comms["trace"] == trace, "community"].nunique())
        rows.append(row)
    return pd.DataFrame(rows).set_index("release")


def topic_summary(releases: list[str], work_dir: str | Path = DATA_DIR, n: int = 3) -> pd.DataFrame:
    """Per release: topics found, share of tweets left as outliers, and the largest topics' labels, from the
    topics stage's assignments (``topics.parquet``; "topics absent" when the stage has not run)."""
    rows = []
    for rel in releases:
        path = processed_dir(rel, work_dir) / "topics.parquet"
        if not path.exists():
            rows.append({"release": rel, "topics": "absent", "% outliers": None,
                         "largest topics": "the topics stage has not run"})
            continue
        t = store.query("SELECT topic, topic_label, count(*) AS n FROM t GROUP BY ALL", {"t": [path]})
        inl = t[t["topic"] >= 0]
        top = inl.groupby("topic_label")["n"].sum().reset_index()
        top = top.sort_values(["n", "topic_label"], ascending=[False, True]).head(n)
        rows.append({"release": rel, "topics": int(inl["topic"].nunique()),
                     "% outliers": round(100 * t.loc[t["topic"] < 0, "n"].sum() / t["n"].sum(), 1),
                     "largest topics": "; ".join(f"{lab} ({c})" for lab, c in zip(top["topic_label"], top["n"],
                                                                                     strict=True))})
    return pd.DataFrame(rows).set_index("release")


def _num(x: float) -> str:
    """Two decimals, or "n/a" where a score is undefined (e.g. precision when nothing scorable was flagged)."""
    return "n/a" if pd.isna(x) else f"{x:.2f}"


def summary_text(p: Profile, findings: dict[str, Finding], truth=None) -> str:
    """A short plain-text account of one release, computed from its profile and findings (and their
    scores when ``truth``, the planted ground truth, is given)."""
    scores = score_table(findings, truth)
    scores = scores[scores["positives"] > 0] if scores is not None else None
    s = p.summary
    office = next(v for k, v in s.items() if k.startswith("% tweets weekdays"))
    text = (f"{s['tweeting accounts']:,} accounts posted {s['tweets']:,} tweets between {s['first tweet']} and "
            f"{s['last tweet']} ({s['% retweets']}% retweets; languages {s['languages']}; clients {s['clients']}). "
            f"Median followers {s['median followers']:g}, {s['% accounts without bio']}% without a bio, "
            f"{s['likes per own tweet']} likes and {s['retweets per own tweet']} retweets per own tweet; "
            f"{office}% of tweets on weekdays 9-18 h {p.timezone}. ")
    hits = [f for f in findings.values() if f.applicable and f.n_accounts > 0]
    if hits:
        text += "Found: " + "; ".join(f"{f.name} ({f.n_accounts} accounts)" for f in hits) + ". "
    na = [f.name for f in findings.values() if not f.applicable]
    if na:
        text += "Not applicable here: " + ", ".join(na) + ". "
    if scores is not None and len(scores):
        text += ("Against the planted ground truth: " + "; ".join(
            f"{k} P {_num(r.precision)} / R {_num(r.recall)}" for k, r in scores.iterrows()) + ".")
    else:
        text += "No ground truth (real data): findings are leads to verify, not scores."
    return text


def load_all(releases: list[str], ws: Workspace, timezones: dict[str, str] | None = None,
             topics: bool = True) -> dict[str, Results]:
    """Every release's persisted profile and findings (the case-study stage, built where missing or stale;
    ``timezones``: release -> zone, others from the release registry; ``topics``: run the topics stage first
    where it has not run), with its planted ground truth."""
    from . import stage

    out = {}
    for r in releases:
        found, prof = stage.read(r, ws, (timezones or {}).get(r), topics)
        out[r] = Results(r, prof, found, ws.truth(r),
                         store.parquet_rows(store.table_path(r, "accounts", work_dir=ws.work_dir)))
    return out


def profiles(data: dict[str, Results]) -> dict[str, Profile]:
    return {r: d.profile for r, d in data.items()}


def findings(data: dict[str, Results]) -> dict[str, dict[str, Finding]]:
    return {r: d.findings for r, d in data.items()}
