"""Sentences that state what a notebook computed, built from the values it computed.

The notebooks' Markdown cells describe methods only. Every statement of a *result* — a score, a
ranking, "recovered", "silent elsewhere", which topics were merged — is produced here from the
tables the notebook has just computed and displayed as Markdown, so it follows the data (a new CPU
pin, a new generator, a real release) instead of going stale. Each function says plainly when there
is nothing to state (no ground truth, one release only, nothing linked) and is worded so that it is
true for any outcome: scores are ranked, not assumed; detectors with false positives or low recall
are named rather than "all recovered".

Functions take the objects the notebooks already hold (``topics.ReleaseTopics``, ground truth,
``casestudy.Finding``, score tables) and return ``IPython.display.Markdown``; the text is ``.data``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from IPython.display import Markdown

from .casestudy.base import CaseData, Finding, guess_campaign
from .casestudy.china import CAMPAIGN_ROLES
from .casestudy.compare import CHAPTERS, Results
from .casestudy.profile import Profile
from .coordination.analysis import TARGETS
from .coordination.evaluate import nodes_of
from .ground_truth import CONTROL_ROLES, GroundTruth
from .paths import DATA_DIR
from .topics import tables
from .topics.evaluate import agreement, with_narratives
from .topics.link import profiles_from_counts

GOOD = 0.95  # precision and recall at least this count as "recovered" (stated in every sentence that uses it)
ORGANIC_PREFIX = "organic_"  # planted narratives of the organic control accounts
EVIDENCE_NAMES = {"hashtags": "hashtags", "userid": "accounts (posting or retweeting)",
                  "user_mentions": "mentions", "domains": "domains"}


# --- formatting ---------------------------------------------------------------------------------------------

def _md(*parts: str) -> Markdown:
    return Markdown(" ".join(p for p in parts if p))


def _and(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _num(x: float, nd: int = 3) -> str:
    return "n/a" if x is None or pd.isna(x) else f"{x:.{nd}f}"


def _range(values: Iterable[float], nd: int = 3) -> str:
    """``0.912`` when all values are equal, else ``0.324–1.000`` (NaN ignored)."""
    v = [float(x) for x in values if x is not None and not pd.isna(x)]
    if not v:
        return "n/a"
    lo, hi = min(v), max(v)
    return _num(lo, nd) if _num(lo, nd) == _num(hi, nd) else f"{_num(lo, nd)}–{_num(hi, nd)}"


def _short(label: str, n: int = 40) -> str:
    """A topic label cut to ``n`` characters (labels list up to ten words)."""
    label = str(label)
    return label if len(label) <= n else label[:n - 1] + "…"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


# --- 03 topics ----------------------------------------------------------------------------------------------

def prelink_topics(assignments: pd.DataFrame) -> np.ndarray:
    """Per row (a tweet, or a count of ``tables.planted``), the topic it had before cross-script linking: one id
    per (script group, final topic), -1 for outliers. Linking only merges whole topics of different groups, so
    this recovers the group models' topics (a merged topic splits back into its members)."""
    key = assignments["group"].astype(str) + ":" + assignments["topic"].astype(str)
    codes = pd.factorize(key, sort=True)[0].astype(np.int64)
    return np.where(assignments["topic"].to_numpy() >= 0, codes, -1)


def split_narratives(planted: pd.DataFrame) -> dict[str, pd.Series]:
    """Planted narratives that are not the main narrative of any topic (topic >= 0), each with the
    number of its tweets per topic label (outliers included), largest first; from ``tables.planted``."""
    both = with_narratives(planted)
    if both is None:
        return {}
    inl = both[both["topic"] >= 0]
    main = inl.groupby(["topic", "narrative"])["n"].sum().reset_index()
    main = main.sort_values(["topic", "n", "narrative"], ascending=[True, False, True]).drop_duplicates("topic")
    owned = set(main["narrative"])
    out = {}
    for narrative in sorted(set(both["narrative"]) - owned):
        counts = both[both["narrative"] == narrative].groupby("topic_label")["n"].sum().rename("count")
        out[narrative] = counts.reset_index().sort_values(
            ["count", "topic_label"], ascending=[False, True]).set_index("topic_label")["count"]
    return out


def topic_baseline(baseline: Mapping[str, dict | None]) -> Markdown:
    """The topic model against the TF-IDF + k-means baseline (``topics.kmeans_baseline``), per release: NMI of
    both on the same tweets, and where the baseline does as well or better."""
    scored = {r: b for r, b in baseline.items() if b is not None}
    if not scored:
        return _md("No release has planted narratives (real data): the baseline is not computed.")
    parts = [f"{r}: NMI {_num(b['nmi topics'])} against {_num(b['nmi tf-idf k-means'])} for TF-IDF + k-means "
             f"with k = {b['k']}" for r, b in sorted(scored.items())]
    worse = sorted(r for r, b in scored.items() if b["nmi topics"] <= b["nmi tf-idf k-means"])
    tail = (f"The baseline does as well or better in {_and(worse)}." if worse
            else "The topic model beats the baseline in every release.")
    return _md("Topic model against the baseline: " + "; ".join(parts) + ". " + tail)


def topic_agreement(scores: Mapping[str, dict | None], results: Mapping, planted: Mapping[str, pd.DataFrame | None]
                    ) -> Markdown:
    """Releases ranked by the NMI of their topics against the planted narratives; the lowest named, with
    the planted narratives it has no topic for; and what cross-script linking changed (the same score
    on the topics before linking, :func:`prelink_topics`).

    ``scores``: release -> ``topics.agreement`` dict (``None``: no ground truth); ``results``: release ->
    ``topics.ReleaseTopics``; ``planted``: release -> ``topics.planted`` counts or ``None``."""
    scored = {r: s for r, s in scores.items() if s is not None}
    if not scored:
        return _md("No release has planted narratives (real data): the topics are not scored.")
    order = sorted(scored, key=lambda r: (-scored[r]["nmi"], r))
    parts = ["Agreement of topics with the planted narratives, highest NMI first: "
             + "; ".join(f"{r} NMI {_num(scored[r]['nmi'])} (ARI {_num(scored[r]['ari'])})" for r in order) + "."]
    if len(order) > 1:
        low = order[-1]
        split = split_narratives(planted[low])
        parts.append(f"{low} scores lowest" + (
            f"; in it, no topic holds mostly the planted tweets of {_and(split)}: they are split over other "
            "topics (see below)." if split else "; every planted narrative in it is the main narrative of a topic."))
    for r in order:
        res = results[r]
        if not res.links:
            continue
        before = agreement(planted[r].assign(prelink=prelink_topics(planted[r])), topic="prelink")
        change = scored[r]["nmi"] - before["nmi"]
        verb = "raises" if change > 0 else "lowers" if change < 0 else "leaves"
        parts.append(f"Without the cross-script linking of section 2b, {r} would score NMI {_num(before['nmi'])} "
                     f"(ARI {_num(before['ari'])}): linking {verb} its NMI"
                     + ("." if change == 0 else f" by {_num(abs(change))}."))
    if not any(results[r].links for r in order):
        parts.append("No topics were linked across scripts, so linking changes no score.")
    return _md(*parts)


def _main_narrative(planted: pd.DataFrame) -> pd.Series:
    """(group, topic) -> main planted narrative of the tweets there (from ``tables.planted``)."""
    n = planted.groupby(["group", "topic", "narrative"])["n"].sum().reset_index()
    n = n.sort_values(["group", "topic", "n", "narrative"], ascending=[True, True, False, True])
    return n.drop_duplicates(["group", "topic"]).set_index(["group", "topic"])["narrative"]


def merged_topics(results: Mapping, planted: Mapping[str, pd.DataFrame | None]) -> Markdown:
    """Which topics cross-script linking merged, per release, and (with ground truth) the main planted
    narrative of each member: merges of members with different main narratives, and in particular of a
    campaign narrative with an organic one, are named."""
    parts = []
    for r, res in results.items():
        merged = res.topics[res.topics["group"].astype(str).str.contains("+", regex=False)]
        if merged.empty:
            parts.append(f"{r}: no topics merged across scripts.")
            continue
        p = planted.get(r)
        main = _main_narrative(p) if p is not None else None
        items, mixed, organic_mix = [], [], []
        for _, row in merged.iterrows():
            groups = str(row["group"]).split("+")
            if main is None:
                items.append(f"{row['label']} ({row['members']})")
                continue
            nar = [str(main.get((g, row["topic"]), "none")) for g in groups]
            items.append(f"{row['label']} ({', '.join(f'{g}: {n}' for g, n in zip(groups, nar, strict=True))})")
            if len(set(nar)) > 1:
                mixed.append(str(row["label"]))
                if len({n.startswith(ORGANIC_PREFIX) for n in nar}) > 1:
                    organic_mix.append(str(row["label"]))
        text = f"{r}: linking merged {_plural(len(merged), 'pair')} of topics — " + "; ".join(items) + "."
        if main is not None:
            text += (" Every merge joins members with the same main planted narrative." if not mixed else
                     f" Members with different main narratives: {_and(mixed)}.")
            text += (" No organic topic is merged into a campaign topic." if not organic_mix else
                     f" Campaign and organic topics merged: {_and(organic_mix)}.")
        parts.append(text)
    return Markdown("\n\n".join(parts) if parts else "No releases.")


def narrative_splits(results: Mapping, planted: Mapping[str, pd.DataFrame | None], top: int = 3) -> Markdown:
    """For every planted narrative without a topic of its own (:func:`split_narratives`), where its
    tweets went: the largest destination topics (with their own main narrative) and, per script group,
    the topic that took most of its tweets there."""
    parts = []
    for r in results:
        p = planted.get(r)
        if p is None:
            parts.append(f"{r}: no ground truth (real data), no planted narratives to follow.")
            continue
        split = split_narratives(p)
        if not split:
            parts.append(f"{r}: every planted narrative is the main narrative of at least one topic.")
            continue
        main = _main_narrative(p.assign(group="all"))
        label_of = p.drop_duplicates("topic").set_index("topic")["topic_label"]
        main_by_label = {label_of[t]: n for (_, t), n in main.items()}
        outlier = label_of.get(-1)
        for narrative, counts in split.items():
            dest = [f"the outliers ({int(c):,})" if lab == outlier else
                    f"{_short(lab)} ({int(c):,}" + (f"; mostly {main_by_label[lab]})" if lab in main_by_label
                                                     and main_by_label[lab] != narrative else ")")
                    for lab, c in counts.head(top).items()]
            rest = int(counts.iloc[top:].sum())
            mine = p[p["narrative"] == narrative]
            groups = []
            for g, s in mine.groupby("group"):
                vc = s.groupby("topic_label")["n"].sum().rename("count").rename_axis("label").reset_index()
                first = vc.sort_values(["count", "label"], ascending=[False, True]).iloc[0]
                groups.append(f"{g} tweets mostly to {_short(first['label'])} ({int(first['count']):,} of "
                              f"{int(s['n'].sum()):,})")
            parts.append(f"{r}: {narrative} has no topic of its own; its {int(counts.sum()):,} planted tweets went to "
                         f"{_and(dest + ([f'{rest:,} elsewhere'] if rest else []))}."
                         + (f" By script group: {'; '.join(groups)}." if len(groups) > 1 else ""))
    return Markdown("\n\n".join(parts) if parts else "No releases.")


def link_evidence(results: Mapping, work_dir: str = DATA_DIR, evidence: Mapping[str, str] = EVIDENCE_NAMES,
                  tweets: Mapping[str, pd.DataFrame] | None = None) -> Markdown:
    """How well each kind of tweet evidence would have found the cross-script links the hashtags found:
    for every link ``(a, b)``, whether ``a`` and ``b`` are each other's most similar topic of the other
    script group when topics are profiled by that evidence alone (TF-IDF cosine, as in ``topics.link``),
    and the largest counter-example (a topic closer to ``a`` than its partner).

    ``results``: release -> ``topics.ReleaseTopics``; the evidence is counted per topic by DuckDB
    (``tables.evidence_counts``) from the processed tweets under ``work_dir``, or from ``tweets`` (release ->
    frame with ``tweetid`` and evidence columns) when given. Evidence columns the tweets lack are skipped."""
    pairs, cases = 0, {col: [] for col in evidence}
    used = {c for res in results.values() for c in getattr(getattr(res, "params", None), "link_evidence", ())}
    for r, res in results.items():
        if not res.links:
            continue
        keys = tables.counts(res, ["group", "topic"])
        keys["unit"] = prelink_topics(keys)
        unit_of = {(g, int(t)): int(u) for g, t, u in zip(keys["group"], keys["topic"], keys["unit"], strict=True)}
        name = {}  # prelink id -> "group:local" as in the links table
        for g, gm in res.groups.items():
            for local, final in gm.topic_map.items():
                if unit_of.get((g, int(final)), -1) >= 0:
                    name[unit_of[(g, int(final))]] = f"{g}:{local}"
        group_of = {u: n.split(":")[0] for u, n in name.items()}
        idx = {n: u for u, n in name.items()}
        frame = None if tweets is None else tweets[r]
        for col in evidence:
            raw = tables.evidence_counts(res, col, r, work_dir, frame)
            if raw is None:
                cases.pop(col, None)
                continue
            raw = raw.merge(keys[["group", "topic", "unit"]], on=["group", "topic"])  # every (group, topic) is in keys
            ids, prof = profiles_from_counts(np.asarray(sorted(name), dtype=np.int64),
                                             raw.assign(topic=raw["unit"], column=col)[raw["unit"] >= 0])
            sim = (prof @ prof.T).toarray() if prof.shape[1] else np.zeros((ids.size, ids.size))
            pos = {int(u): i for i, u in enumerate(ids)}
            for ma, mb, _ in res.links:
                if ma not in idx or mb not in idx:
                    continue
                ia, ib = pos[idx[ma]], pos[idx[mb]]
                worst = None
                for x, y, gy in ((ia, ib, group_of[idx[mb]]), (ib, ia, group_of[idx[ma]])):
                    rivals = [pos[u] for u, g in group_of.items() if g == gy and pos[u] != y]
                    if rivals:
                        k = max(rivals, key=lambda j: (sim[x, j], -j))
                        gap = sim[x, k] - sim[x, y]
                        if sim[x, k] >= sim[x, y] and (worst is None or gap > worst[0]):
                            worst = (gap, name[int(ids[x])], name[int(ids[k])], sim[x, k], name[int(ids[y])], sim[x, y])
                cases[col].append((r, worst))
        pairs += len(res.links)
    if not pairs:
        return _md("No topics were linked across scripts, so there is no link to check other evidence against.")
    lead = (f"Of the {_plural(pairs, 'cross-script link')}, the linked topics are each other's most similar "
            "topic of the other script when profiled by")
    lines = []
    for col, found in cases.items():
        ok = sum(w is None for _, w in found)
        line = f"{evidence[col]}{' (used for linking)' if col in used else ''}: {ok} of {len(found)}"
        bad = [w for _, w in found if w is not None]
        if bad:
            _gap, x, k, sk, y, sy = max(bad)
            line += (f" (e.g. {x} is at least as close to {k}, cosine {_num(sk, 2)}, as to its partner {y}, "
                     f"{_num(sy, 2)})")
        lines.append(line)
    return _md(lead, "; ".join(lines) + ".")


# --- 04 networks --------------------------------------------------------------------------------------------

def _classify(rows: pd.DataFrame, good: float) -> dict[str, list[str]]:
    """``rows``: name, where, positives, precision, recall (one row per name and release with positives).
    Returns name lists: recovered (P and R >= good everywhere), partial (P >= good, some R < good),
    false_pos (some P < good), none (flags nothing scorable wherever its targets were planted)."""
    out: dict[str, list[str]] = {"recovered": [], "partial": [], "false_pos": [], "none": []}
    for name, g in rows.groupby("name", sort=False):
        p, rec = g["precision"], g["recall"]
        if p.isna().all():
            out["none"].append(name)
        elif (p.dropna() < good).any():
            out["false_pos"].append(name)
        elif (rec.fillna(0) < good).any():
            out["partial"].append(name)
        else:
            out["recovered"].append(name)
    return out


def _scores_sentence(rows: pd.DataFrame, good: float, what: str, multi: bool) -> str:
    cls = _classify(rows, good)
    g = {n: d for n, d in rows.groupby("name", sort=False)}

    def over(n: str) -> str:
        k = len(g[n])
        return f", over {k} releases" if multi and k > 1 else ""

    n = rows["name"].nunique()
    parts = [f"{len(cls['recovered'])} of {n} {what} recover their planted targets with precision and recall "
             f"of at least {good:g}" + (f" ({_and(cls['recovered'])})." if cls["recovered"] else ".")]
    if cls["partial"]:
        parts.append("Precise but incomplete: " + "; ".join(f"{x} (recall {_range(g[x]['recall'])}{over(x)})"
                                                             for x in cls["partial"]) + ".")
    if cls["false_pos"]:
        parts.append(f"With false positives (precision below {good:g}): "
                     + "; ".join(f"{x} (precision {_range(g[x]['precision'])}, recall {_range(g[x]['recall'])}"
                                 f"{over(x)})" for x in cls["false_pos"]) + ".")
    if cls["none"]:
        parts.append(f"Flagging none of their targets: {_and(cls['none'])}.")
    return " ".join(parts)


def trace_recovery(scored: Mapping[str, pd.DataFrame | None], good: float = GOOD) -> Markdown:
    """Which coordination traces recover the planted groups they target, over every release with
    ground truth (``scored``: release -> ``coordination.analysis.scores`` table, ``None`` on real data);
    releases where a trace's targets were not planted do not count for it."""
    parts = [s.assign(where=r) for r, s in scored.items() if s is not None]
    if not parts:
        return _md("No ground truth (real data): the traces are not scored.")
    rows = pd.concat(parts, ignore_index=True).rename(columns={"trace": "name"})
    rows = rows[rows["positives"] > 0]
    if rows.empty:
        return _md("No trace's target groups were planted in these releases: nothing to score.")
    return _md(_scores_sentence(rows, good, "traces", multi=True))


def null_model(summary: pd.DataFrame, alpha: float) -> Markdown:
    """Per trace (and null model, when the summary has several), the share of edges significant against the
    null model (``analysis.significance_summary``), with the release where it is lowest."""
    if summary is None or summary.empty:
        return _md("No edges were tested against the null model.")
    by = ["trace", "null model"] if "null model" in summary else ["trace"]
    parts = []
    for key, g in summary.groupby(by, sort=False):
        name = " under the ".join(key) + " null" if len(by) == 2 else key[0]
        g = g[g["edges"] > 0]
        if g.empty:
            parts.append(f"{name}: no edges to test")
            continue
        low = g.sort_values(["share significant", "release"]).iloc[0]
        if (g["significant"] == g["edges"]).all():
            parts.append(f"{name}: every edge significant in {'every release' if len(g) > 1 else low['release']}")
        elif (g["significant"] == 0).all():
            parts.append(f"{name}: no edge significant in {'any release' if len(g) > 1 else low['release']}")
        else:
            parts.append(f"{name}: lowest share significant {_num(low['share significant'])} in {low['release']} "
                         f"({low['significant']:,} of {low['edges']:,} edges)")
    return _md(f"Against the null model (false discovery rate {alpha:g} over all candidate pairs): "
               + "; ".join(parts) + ".")


def _retweets_of(table: pd.DataFrame, users: set) -> pd.Series:
    """Retweets per account of ``users`` from an amplifiers table (``n_retweets``) or from tweets."""
    if "n_retweets" in table:
        per = table.set_index("userid")["n_retweets"]
    else:
        per = (table["tweet_kind"] == "retweet").groupby(table["userid"]).sum()
    return per.reindex(sorted(users), fill_value=0)


def missed_by_trace(trace: str, nets: Mapping[str, Mapping[str, pd.DataFrame]], tweets: Mapping[str, pd.DataFrame],
                    truth: Mapping[str, GroundTruth | None], fallback: str = "amplification",
                    good: float = GOOD) -> Markdown:
    """Recall of ``trace`` per planted group kind it targets (``analysis.TARGETS``), and for kinds it finds
    less than ``good`` of: how many retweets the missed accounts made (median) and how many of them the
    ``fallback`` trace links instead. ``tweets``: per release, the coordination stage's amplifiers table
    (``userid, n_retweets``) or a tweets frame (``userid, tweet_kind``)."""
    kinds = TARGETS.get(trace)
    parts, notes = [], []
    for r, gt in truth.items():
        if gt is None:
            continue
        found = nodes_of(nets[r][trace])
        a = gt.accounts
        for kind in sorted(set(a["group_kind"].dropna()) - {""}):
            if kinds is not None and kind not in kinds:
                continue
            members = set(a.loc[a["group_kind"] == kind, "userid"])
            hit = len(members & found)
            parts.append(f"{kind} {_num(hit / len(members))} in {r}")
            if hit / len(members) < good:
                missed = members - found
                n_rt = _retweets_of(tweets[r], missed)
                other = len(missed & nodes_of(nets[r][fallback])) if fallback in nets[r] else 0
                med = float(n_rt.median())
                notes.append(f"The {_plural(len(missed), f'{kind} account')} it misses in {r} made a median of "
                             f"{med:g} {'retweet' if med == 1 else 'retweets'}; the {fallback} trace links "
                             f"{other:,} of them.")
    if not parts:
        return _md(f"No ground truth or no planted groups of the kinds {trace} targets: nothing to break down.")
    return _md(f"{trace} recall by planted group kind: " + "; ".join(parts) + ".", *notes)


# --- 05-07 case studies -------------------------------------------------------------------------------------

def detector_scores(scores: pd.DataFrame | None, good: float = GOOD) -> Markdown:
    """The chapter's detectors classified from their score table (``casestudy.score_table``): recovered,
    precise but incomplete, with false positives, flagging nothing."""
    if scores is None:
        return _md("No ground truth (real data): the detectors are not scored; their flags are leads.")
    rows = scores.reset_index().rename(columns={"detector": "name"})
    rows = rows[rows["positives"] > 0]
    if rows.empty:
        return _md("None of the roles these detectors target was planted in this release: nothing to score.")
    return _md(_scores_sentence(rows, good, "detectors", multi=False))


def narrative_labels(scored: pd.DataFrame | None, finding: Finding, peak: str | None = None) -> Markdown:
    """Keyword narrative labels vs the planted narratives (``casestudy.china.score_narratives``): the
    range of precision and recall and the weakest narrative; and, when ``peak`` is one of the narratives,
    the month it peaks in (from ``finding.table``, so also on real data)."""
    if not finding.applicable:
        return _md(f"The keyword labels do not apply here: {finding.evidence}")
    parts = []
    if scored is None or scored.empty:
        parts.append("No ground truth (real data): the keyword labels are not scored.")
    else:
        s = scored.reset_index()
        low_r = s.sort_values(["recall", "narrative"]).iloc[0]
        low_p = s.sort_values(["precision", "narrative"]).iloc[0]
        parts.append(f"Keyword labels vs the {_plural(len(s), 'planted narrative')}: "
                     f"precision {_range(s['precision'])}, recall {_range(s['recall'])}; "
                     f"lowest recall {low_r['narrative']} ({_num(low_r['recall'])}), "
                     f"lowest precision {low_p['narrative']} ({_num(low_p['precision'])}).")
    t = finding.table
    if peak is not None and t is not None and peak in t.columns and t[peak].sum() > 0:
        m = t[peak].idxmax()
        parts.append(f"By keywords, {peak} tweets peak in {pd.Timestamp(m):%Y-%m} ({int(t.at[m, peak]):,} tweets).")
    return _md(*parts)


def core_misses(core: Finding, amp: Finding, truth: GroundTruth | None) -> Markdown:
    """Planted core accounts the core rule misses, by how many flagged amplifiers have them among their
    top targets (the rule needs several)."""
    if truth is None or not core.applicable:
        return _md("No ground truth (real data) or no core finding: misses are not counted.")
    planted = set(truth.accounts.loc[truth.accounts["role"].isin(core.roles), "userid"])
    missed = planted - set(core.flagged)
    if not planted:
        return _md("No core accounts were planted in this release.")
    if not missed:
        return _md(f"The core rule finds all {len(planted):,} planted core accounts.")
    t = amp.table
    n_amp = (t.loc[t["is_amplifier"], "top_targets"].explode().dropna().value_counts()
             if t is not None and amp.applicable else pd.Series(dtype=int))
    by = pd.Series([int(n_amp.get(u, 0)) for u in sorted(missed)]).value_counts().sort_index()
    detail = _and(f"{c:,} {'is' if c == 1 else 'are'} a top target of "
                  + ("no flagged amplifier" if k == 0 else _plural(k, "flagged amplifier")) for k, c in by.items())
    return _md(f"The core rule misses {len(missed):,} of {len(planted):,} planted core accounts: {detail}.")


def office_misses(off: Finding, truth: GroundTruth | None, min_tweets: int) -> Markdown:
    """Planted campaign accounts the office-hours test misses: too few tweets to be tested
    (< ``min_tweets``) vs tested and below the threshold."""
    if truth is None or not off.applicable:
        return _md("No ground truth (real data) or the test does not apply: misses are not counted.")
    planted = set(truth.accounts.loc[truth.accounts["role"].isin(off.roles), "userid"])
    missed = planted - set(off.flagged)
    if not missed:
        return _md(f"The office-hours test finds all {len(planted):,} planted campaign accounts.")
    tested = set(off.table["userid"]) if off.table is not None else set()
    untested = len(missed - tested)
    return _md(f"The office-hours test misses {len(missed):,} of {len(planted):,} planted campaign accounts: "
               f"{untested:,} have fewer than `min_tweets` ({min_tweets}) tweets and are not tested, "
               f"{len(missed) - untested:,} are tested and post less of their tweets in office hours than "
               "the threshold.")


# --- 08 comparison ------------------------------------------------------------------------------------------

CONTRASTS = (  # profile entry, phrase when highest, phrase when lowest, format
    ("tweeting accounts", "the most accounts ({})", "the fewest accounts ({})", "{:,}"),
    ("tweets per tweeting account (median)", "the most tweets per account (median {})",
     "the fewest tweets per account (median {})", "{:g}"),
    ("accounts created (median)", "the youngest accounts (median creation {})",
     "the oldest accounts (median creation {})", "{}"),
    ("median followers", "the most followers (median {})", "the fewest followers (median {})", "{:g}"),
    ("% retweets", "the largest share of retweets ({}%)", "the smallest share of retweets ({}%)", "{}"),
    ("% tweets weekdays", "the largest share of tweets on local weekdays 9-18 h ({}%)",
     "the smallest share of tweets on local weekdays 9-18 h ({}%)", "{}"),
)


def campaign_contrasts(profs: Mapping[str, Profile]) -> Markdown:
    """For each release, the profile measures on which it is the highest or the lowest of all releases
    (size, activity per account, account age, followers, retweet share, office-hours share)."""
    if len(profs) < 2:
        return _md("Only one release: nothing to compare it with.")
    parts = []
    for r in profs:
        said = []
        for key, hi, lo, fmt in CONTRASTS:
            vals = {q: next((v for k, v in pr.summary.items() if k.startswith(key)), None) for q, pr in profs.items()}
            if any(v is None or (not isinstance(v, str) and pd.isna(v)) for v in vals.values()):
                continue
            top, bottom = max(vals.values()), min(vals.values())
            if top == bottom:
                continue
            if vals[r] == top:
                said.append(hi.format(fmt.format(vals[r])))
            elif vals[r] == bottom:
                said.append(lo.format(fmt.format(vals[r])))
        parts.append(f"{r} has {_and(said)}." if said else f"{r} is between the others on every measure.")
    return Markdown("Compared with the other releases: " + " ".join(parts))


def _chapter_of(detector: str) -> str | None:
    return next((c for c, names in CHAPTERS.items() if detector in names), None)


def planted_in(finding: Finding, release: str, truth: GroundTruth | None) -> bool | None:
    """Whether the tactic ``finding`` detects was planted in ``release``: for detectors of specific roles,
    whether any account has one of them; for detectors scored on all campaign roles, whether the release
    is of the detector's chapter (its id names that campaign). ``None`` without ground truth."""
    if truth is None:
        return None
    if finding.roles and set(finding.roles) != set(CAMPAIGN_ROLES):
        return bool(truth.accounts["role"].isin(finding.roles).any())
    return guess_campaign(release) == _chapter_of(finding.name)


def detector_spread(found: Mapping[str, Mapping[str, Finding]], data: Mapping[str, Results | CaseData]) -> Markdown:
    """Where each detector fires outside the releases its tactic was planted in (:func:`planted_in`),
    with how many of those accounts are organic controls; and detectors silent where planted. ``data``: per
    release, anything with its ground truth as ``.truth`` (``compare.Results``)."""
    truths = {r: d.truth for r, d in data.items()}
    if all(t is None for t in truths.values()):
        return _md("No ground truth (real data): nothing was planted to compare where the detectors fire with.")
    outside, silent_home, quiet = {}, [], []
    names = list(dict.fromkeys(n for fs in found.values() for n in fs))
    for name in names:
        hits, home_hits, homes = [], 0, 0
        for r, fs in found.items():
            f = fs.get(name)
            gt = truths.get(r)
            if f is None or not f.applicable or gt is None:
                continue
            planted = planted_in(f, r, gt)
            if planted:
                homes += 1
                home_hits += f.n_accounts > 0
            elif f.n_accounts:
                controls = set(gt.accounts.loc[gt.accounts["role"].isin(CONTROL_ROLES), "userid"])
                k = len(controls & set(f.flagged))
                hits.append(f"{f.n_accounts:,} in {r} ({'none' if k == 0 else f'{k:,}'} of them organic controls)")
        if hits:
            outside[name] = hits
        else:
            quiet.append(name)
        if homes and not home_hits:
            silent_home.append(name)
    parts = []
    if outside:
        parts.append("Accounts flagged outside the releases where the detector's tactic was planted: "
                     + "; ".join(f"{n} {_and(h)}" for n, h in outside.items()) + ".")
    if quiet:
        parts.append(f"Silent (or not applicable) outside them: {_and(quiet)}.")
    if silent_home:
        parts.append(f"Silent where planted: {_and(silent_home)}.")
    return _md(*parts)


# --- 09 evaluation ------------------------------------------------------------------------------------------

def _short_release(release: str) -> str:
    return release.removeprefix("synth_").removesuffix("_052020")


def evaluation(chosen: pd.DataFrame, summary: pd.DataFrame, n_dev: int, n_held: int) -> Markdown:
    """What tuning on the development seeds changes (``evaluation.select.choose``) and what it does on the held-out
    seeds (``evaluation.select.heldout``): F1 gains and losses, detectors at or below a no-skill baseline, the widest
    spread over seeds, and false positives where a detector's targets are not planted."""
    changed = chosen[chosen["changed"]]
    kept = chosen[~chosen["changed"]]
    out = [f"Tuning on the {n_dev} development seeds would change the thresholds of {len(changed)} of the "
           f"{len(chosen)} swept detectors"
           + (": " + _and(f"{d} ({r.default} → {r.selected})" for d, r in changed.iterrows()) if len(changed) else "")
           + (f"; it keeps the library defaults of {_and(kept.index)}." if len(kept) else ".")]
    s = summary.reset_index()
    planted = s[s["positives"] > 0]
    wide = planted.pivot_table(index=["detector", "release"], columns="threshold", values="f1 mean", sort=False)
    if "selected" in wide:
        g = (wide["selected"] - wide["default"]).dropna().round(3)
        up = [f"{d} on {_short_release(r)} ({v:+.3f})" for (d, r), v in g.items() if v > 0]
        down = [f"{d} on {_short_release(r)} ({v:+.3f})" for (d, r), v in g.items() if v < 0]
        same = int((g == 0).sum())
        out.append(f"On the {n_held} held-out seeds, the selected thresholds raise mean F1 for "
                   f"{_and(up) if up else 'no detector'}, lower it for {_and(down) if down else 'none'}, and leave "
                   f"it unchanged in {_plural(same, 'case')} (detector and release).")
    base = planted[planted["threshold"] == "default"]
    below_all = [f"{d} on {_short_release(r)}" for d, r, f, b in
                 base[["detector", "release", "f1 mean", "f1 flag-all"]].itertuples(index=False) if f <= b]
    below_rand = [f"{d} on {_short_release(r)}" for d, r, f, b in
                  base[["detector", "release", "f1 mean", "f1 random"]].itertuples(index=False) if f <= b]
    out.append("At the default thresholds, held-out mean F1 is at or below flagging every account for "
               f"{_and(below_all) if below_all else 'no detector'} ({len(below_all)} of {len(base)} detector-release "
               f"pairs with planted targets), and at or below flagging as many accounts at random for "
               f"{_and(below_rand) if below_rand else 'none'}.")
    if len(base) and base["f1 sd"].notna().any():
        top = base.loc[base["f1 sd"].idxmax()]
        out.append(f"The widest spread over held-out seeds at the defaults: {top['detector']} on "
                   f"{_short_release(top['release'])}, F1 {_num(top['f1 mean'], 2)} ± {_num(top['f1 sd'], 2)} "
                   f"({_num(top['f1 min'], 2)}–{_num(top['f1 max'], 2)}).")
    quiet = s[(s["positives"] == 0) & (s["threshold"] == "default")]
    noisy = quiet[quiet["false_positives"] > 0].sort_values("false_positives", ascending=False)
    if len(quiet):
        out.append("Where their targets are not planted, "
                   + (_and(f"{d} on {_short_release(r)} ({fp:.1f})" for d, r, fp in
                           noisy[["detector", "release", "false_positives"]].itertuples(index=False))
                      + " flag accounts at the defaults (mean false positives per seed)"
                      if len(noisy) else "no detector flags any account at the defaults")
                   + f"; {_plural(len(quiet) - len(noisy), 'detector-release pair')} flag none.")
    return _md(*out)


def model_seed_spread(summary: pd.DataFrame, data_seed: int) -> Markdown:
    """How much the model seed moves the detectors that depend on it (``evaluation.model_seeds.summary``)."""
    if summary.empty:
        return _md("No detector that depends on the model seed has planted targets on this data seed.")
    n = int(summary["model seeds"].max())
    spread = (summary["f1 max"] - summary["f1 min"]).round(3)
    moved = [f"{d} on {_short_release(r)} (F1 {_num(lo, 2)}–{_num(hi, 2)})"
             for (d, r), lo, hi, s in zip(summary.index, summary["f1 min"], summary["f1 max"], spread, strict=True)
             if s > 0]
    still = len(summary) - len(moved)
    same_count = int((summary["flagged min"] == summary["flagged max"]).sum())
    return _md(f"Over {n} model seeds on data seed {data_seed}, "
               + (f"F1 varies for {_and(moved)}; " if moved else "")
               + f"{_plural(still, 'detector-release pair')} give the same F1 with every model seed, and "
               + f"{_plural(same_count, 'pair')} flag the same number of accounts with every model seed.")
