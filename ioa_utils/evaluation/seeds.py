"""One data seed end to end: generate the synthetic archive, load and clean it, run the coordination stage, run
every detector at every grid value of :data:`.protocol.GRID` (and the unswept ones at their defaults), and score
each against the planted ground truth.

Two scoring conventions, the library's own: coordination traces (``co_retweet``, ``co_tweet`` and every other
trace at its default) as ``coordination.evaluate.score_accounts`` (members of the planted groups the trace targets
against the organic controls); case-study detectors, amplifiers, core and rings as ``casestudy.base.score_roles``
(accounts with the targeted roles against every other account of the release). A detector that does not apply
to a release (``Finding.applicable`` false) is scored as flagging nobody.
"""

from __future__ import annotations

import itertools
import json
import operator
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .. import stages
from ..casestudy import campaign as campaigns
from ..casestudy import china, russia, turkey
from ..casestudy.base import Finding, load, role_truth
from ..coordination import stage as cstage
from ..coordination.cooccurrence import Events
from ..coordination.evaluate import nodes_of, positives_negatives, score_sets
from ..coordination.groups import amplified_core, amplifiers, retweet_rings
from ..coordination.null_model import pair_weights
from ..coordination.traces import _DELAYS, AMPLIFIER, RETWEETERS, TRACES, events, ring_params
from ..ground_truth import GroundTruth
from ..stageio import frozen_gc
from ..synthetic.generate import FAST_ZIP_LEVEL
from ..workspace import Workspace
from .protocol import CAMPAIGN_KEY, GRID, NOT_SWEPT, defaults

COLUMNS = ("seed", "release", "family", "detector", "setting", "is_default", "applicable", "n_positive",
           "n_negative", "flagged", "tp", "fp", "fn", "precision", "recall", "f1", "flag_all_f1", "random_f1")

# Case-study detectors: name -> function(data, **thresholds) -> Finding (the calls of ``compare.run_all``).
DETECTORS = {
    "narratives": lambda d, **kw: china.narratives(d, "china", **kw),
    "zero-follower personas": china.personas,
    "office hours": china.office_hours,
    "official posers": lambda d, **kw: russia.official_posers(d),
    "cheerleading": russia.cheerleading,
    "low engagement": russia.engagement,
    "retweet-for-hire": russia.commercial_cluster,
    "compromised accounts": turkey.compromised,
    "single-issue batches": turkey.single_issue_batches,
    "party messaging": turkey.party_messaging,
}


def settings(detector: str) -> list[dict]:
    """Every grid setting of ``detector`` in grid order (the product of its parameters' values)."""
    grid = GRID[detector]
    return [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]


def label(setting: dict) -> str:
    """A setting as text, e.g. ``window=600, min_weight=2``."""
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in setting.items())


class Scorer:
    """One release's scores of flagged account sets, memoised: many grid settings flag the same accounts."""

    def __init__(self, truth: GroundTruth):
        self.truth = truth
        self._memo: dict[tuple, dict] = {}
        self._sets: dict[tuple, tuple[set[str], set[str]]] = {}  # (family, kinds or roles) -> positives, negatives

    def _score(self, family: str, which: tuple | None, flagged: Iterable[str]) -> dict:
        key = (family, which, frozenset(flagged))
        if key not in self._memo:
            if (family, which) not in self._sets:
                truth = self.truth if family == "groups" else role_truth(self.truth, which)
                self._sets[family, which] = positives_negatives(truth, which if family == "groups" else None)
            self._memo[key] = score_sets(key[2], *self._sets[family, which])
        return self._memo[key]

    def groups(self, flagged: Iterable[str], kinds: Sequence[str] | None) -> dict:
        """``coordination.evaluate.score_accounts``: planted group members of ``kinds`` against the controls."""
        return self._score("groups", None if kinds is None else tuple(kinds), flagged)

    def roles(self, flagged: Iterable[str], roles: Sequence[str]) -> dict:
        """``casestudy.base.score_roles``: accounts with ``roles`` against every other account."""
        return self._score("roles", tuple(roles), flagged)


def _row(seed: int, release: str, family: str, detector: str, setting: dict, is_default: bool, applicable: bool,
         flagged: Iterable[str], s: dict) -> dict:
    return {"seed": seed, "release": release, "family": family, "detector": detector, "setting": label(setting),
            "is_default": is_default, "applicable": applicable, "n_positive": s["n_positive"],
            "n_negative": s["n_negative"], "flagged": len(set(flagged)), "tp": s["tp"], "fp": s["fp"], "fn": s["fn"],
            "precision": s["precision"], "recall": s["recall"], "f1": s["f1"], "flag_all_f1": s["flag_all_f1"],
            "random_f1": s["random_f1"]}


def coordination_rows(seed: int, release: str, work_dir: Path, score: Scorer) -> list[dict]:
    """Co-retweet and co-tweet over their (window, min_weight) grid; every other trace at its default (the
    coordination stage's edges)."""
    rows = []
    for trace in ("co_retweet", "co_tweet"):
        t = TRACES[trace]
        ev = events(cstage.read_columns(release, t.columns, t.kinds, work_dir, t.fallback_only), trace)
        for window in GRID[trace]["window"]:
            a, b, weight = folded_codes(ev, window)
            for mw in GRID[trace]["min_weight"]:
                setting = {"window": window, "min_weight": mw}
                keep = weight >= mw
                flagged = ev.users[np.unique(np.r_[a[keep], b[keep]])]
                rows.append(_row(seed, release, "coordination", trace, setting, setting == defaults(trace), True,
                                 flagged, score.groups(flagged, t.targets)))
    for trace, t in TRACES.items():
        if trace not in GRID:
            flagged = nodes_of(cstage.read(release, f"edges/{trace}", work_dir))
            rows.append(_row(seed, release, "coordination", trace, {}, True, True, flagged,
                             score.groups(flagged, t.targets)))
    return rows


def folded_codes(ev: Events, window: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``cooccurrence.undirected(directed_weights(ev, window))`` as account codes (indices into ``ev.users``):
    ``(a, b, weight)`` of the pairs of distinct accounts with co-occurring messages in both directions, weight the
    smaller of the two directions' (:func:`.null_model.pair_weights`, split into its two accounts; only which
    accounts an edge of weight ``>= m`` touches is needed; ``tests/test_evaluation.py`` checks the two agree)."""
    codes, weight = pair_weights(ev, window)
    nu = np.int64(max(ev.n_users, 1))
    return codes // nu, codes % nu, weight


def group_rows(seed: int, release: str, work_dir: Path, score: Scorer) -> list[dict]:
    """Amplifiers, their core and retweet rings (the coordination stage's detectors) over their grids. Each is
    computed once and its swept thresholds applied to the columns they test (as ``groups.amplifiers`` and
    ``groups.retweet_rings`` apply them; ``tests/test_evaluation.py`` checks the two agree)."""
    rows = []
    amp = amplifiers(cstage.read_columns(release, RETWEETERS, None, work_dir),
                     **{k: v for k, v in AMPLIFIER.items() if k != "min_amplifiers"})
    for setting in settings("amplifiers"):
        flagged = amp.loc[amplifier_mask(amp, **setting), "userid"]
        rows.append(_row(seed, release, "case study", "amplifiers", setting, setting == defaults("amplifiers"), True,
                         flagged, score.roles(flagged, ("amplifier",))))
    for setting in settings("core"):
        flagged = amplified_core(amp, setting["min_amplifiers"]).index
        rows.append(_row(seed, release, "case study", "core", setting, setting == defaults("core"), True, flagged,
                         score.roles(flagged, ("core",))))
    grid = GRID["retweet rings"]
    loosest = {"min_size": min(grid["min_size"]), "min_density": min(grid["min_density"])}
    rings = retweet_rings(cstage.read_columns(release, _DELAYS, None, work_dir), **{**ring_params(), **loosest})
    for setting in settings("retweet rings"):
        keep = (rings["ring_size"] >= setting["min_size"]) & (rings["density"] >= setting["min_density"])
        flagged = rings.loc[keep, "userid"]
        rows.append(_row(seed, release, "case study", "retweet rings", setting, setting == defaults("retweet rings"),
                         True, flagged, score.roles(flagged, ("ring",))))
    return rows


def amplifier_mask(amp: pd.DataFrame, min_retweet_share: float, min_concentration: float) -> pd.Series:
    """``groups.amplifiers``' rule on its own table, with other retweet-share and concentration thresholds."""
    return ((amp["retweet_share"] >= min_retweet_share) & (amp["n_retweets"] >= AMPLIFIER["min_retweets"])
            & (amp["concentration"] >= min_concentration))


# Detectors whose swept thresholds are the last filters on columns of what they flag: run once at the loosest grid
# values, then filtered. detector -> ((parameter, column, comparison), ...), on ``Finding.accounts`` (retweet-for-hire:
# on its communities, ``Finding.table``, whose members are its accounts). ``tests/test_evaluation.py`` checks every
# setting against a direct call.
LAST_FILTER: dict[str, tuple[tuple[str, str, str], ...]] = {
    "office hours": (("min_share", "office_share", ">="),),
    "cheerleading": (("min_share", "cheer_share", ">="),),
    "low engagement": (("max_per_tweet", "engagement_per_tweet", "<"),),
    "retweet-for-hire": (("min_external", "external_share", ">="), ("min_bursts", "bursts", ">=")),
    "compromised accounts": (("min_change", "change", ">="),),
    "single-issue batches": (("min_focus", "focus", ">="),),
}
_KEEP = {">=": operator.ge, "<": operator.lt}


def loosest(name: str) -> dict:
    """The grid values of ``name``'s filtered parameters that flag the most (a superset of every other setting)."""
    return {param: (min if op == ">=" else max)(GRID[name][param]) for param, _, op in LAST_FILTER[name]}


def filtered(name: str, f: Finding, setting: dict) -> pd.Series:
    """The accounts ``name`` flags at ``setting``, from its Finding at :func:`loosest` values."""
    if not f.applicable:
        return pd.Series([], dtype=object)
    frame = f.table if name == "retweet-for-hire" else f.accounts
    keep = pd.Series(True, index=frame.index)
    for param, column, op in LAST_FILTER[name]:
        keep &= _KEEP[op](frame[column], setting[param])
    if name == "retweet-for-hire":
        return f.accounts.loc[f.accounts["community"].isin(frame.loc[keep, "community"]), "userid"]
    return frame.loc[keep, "userid"]


def detector_rows(seed: int, release: str, ws: Workspace, score: Scorer) -> list[dict]:
    """The case-study detectors, with the release's campaign thresholds, each swept parameter over its grid."""
    data = load(release, ws, topics=False)
    own = campaigns.for_release(release)
    rows = []
    for name, detect in DETECTORS.items():
        key = CAMPAIGN_KEY.get(name)
        base = {} if key is None else (own.params(key) if own is not None else campaigns.DEFAULTS[key])
        grid = [{}] if name in NOT_SWEPT else settings(name)
        cache: dict[tuple, Finding] = {}
        for setting in grid:
            kw = {**base, **setting}
            if name in LAST_FILTER:
                run_kw = {**kw, **loosest(name)}
                k = tuple(sorted(run_kw.items()))
                f = cache[k] = cache[k] if k in cache else detect(data, **run_kw)
                flagged = filtered(name, f, kw)
            else:
                f = detect(data, **kw)
                flagged = f.flagged
            is_default = all(base.get(k) == v for k, v in setting.items())
            rows.append(_row(seed, release, "case study", name, setting, is_default, f.applicable, flagged,
                             score.roles(flagged, f.roles)))
    return rows


# The processed tweet columns (columns, kinds, fallback_only) both the coordination stage and the sweeps read.
REREAD = (*((TRACES[t].columns, TRACES[t].kinds, TRACES[t].fallback_only) for t in ("co_retweet", "co_tweet")),
          (RETWEETERS, None, ()), (_DELAYS, None, ()))


def run(seed: int, folder: Path, scale: float = 1.0) -> pd.DataFrame:
    """Scores of every detector and grid setting on data seed ``seed`` (one row per release x detector x
    setting, :data:`COLUMNS`), computed in ``folder`` (``raw/``: the generated archive, ``work/``: its stages)."""
    with frozen_gc():
        ws = Workspace(folder / "raw", folder / "work", seed, scale)
        stages.ensure_synthetic(ws.raw_dir, seed, scale, zip_level=FAST_ZIP_LEVEL)  # a working copy: fast deflate
        rows = []
        for release in ws.prepare():
            truth = ws.truth(release)
            if truth is None:
                raise RuntimeError(f"{release} of seed {seed} has no planted ground truth")
            with cstage.keep_reads(*REREAD):  # the sweeps read again what the coordination stage reads
                cstage.ensure(release, ws.work_dir)
                score = Scorer(truth)
                rows += coordination_rows(seed, release, ws.work_dir, score)
                rows += group_rows(seed, release, ws.work_dir, score)
            rows += detector_rows(seed, release, ws, score)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def main(argv: list[str] | None = None) -> None:
    """``python -m ioa_utils.evaluation.seeds SEED FOLDER [SCALE]``: one seed's scores as JSON lines (debugging)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    df = run(int(args[0]), Path(args[1]), float(args[2]) if len(args) > 2 else 1.0)
    for rec in df.to_dict("records"):
        print(json.dumps(rec, default=str))


if __name__ == "__main__":
    main()
