# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=[]
# # 04 · Coordination networks
#
# **Question.** Who amplified whom, which accounts acted in concert, and how sure are we?
#
# A state-backed operation leaves traces of coordination: accounts that retweet the same tweet within
# minutes, post the same text, push the same links and hashtags, or retweet each other in tight rings.
# This notebook turns each trace into a weighted account network, asks which edges are more than chance,
# groups accounts into communities, rings and amplifier/core structures, and — on the synthetic archive,
# whose coordinated groups were planted — measures how well each trace recovers them.
#
# **Inputs.** The processed tweets of every release (`data/processed/<release>/tweets/`, written by
# `stages.prepare`), account follower counts, topics if the topics notebook has run, and the planted
# ground truth of synthetic releases (never used to *build* the networks, only to score them). The edges,
# communities, rings and amplifiers come from the coordination stage (`coordination.stage`, cached in
# `data/processed/<release>/coordination/` and read by the case studies and the comparison too); every
# threshold lives in `coordination.traces`. Non-default parameters get their own stage folder.
#
# **Outputs.** Tables and figures below; Gephi files (GEXF, GraphML with release, community, role,
# follower count and topic shares per node) and the tweets behind every edge (Parquet) in
# `data/processed/<release>/networks/` and `reports/networks/<release>/`.
#
# **Parameters.** Windows are in seconds, both bounds inclusive. The archive's timestamps are rounded to
# the minute, so a window below 60 s means the same as 0 s ("same minute") on real data and the library
# warns. `min_weight` is the number of co-occurring messages an edge needs (each account must contribute
# that many); thresholds are similarity cut-offs.

# %% tags=["parameters"]
raw_dir = "data/raw/synthetic"  # folder of releases (relative to the project root)
work_dir = "data"  # where interim/ and processed/ tables are written
releases = None  # None: every release found; or a list of release ids
seed = 2020  # generator seed (synthetic archive), Louvain, MinHash and null-model seed
scale = 1.0  # synthetic archive only: multiplies the number of accounts
window_retweet = 600  # s: co-retweet window
window_tweet = 300  # s: co-tweet / near-duplicate window
window_entity = 300  # s: co-URL, co-hashtag, co-mention window
min_weight = 2  # co-occurring messages per edge (co-retweet, co-tweet, near-duplicate, rings)
min_weight_entity = 3  # the same for the noisier entity traces
near_duplicate_threshold = 0.8  # estimated Jaccard similarity of word sets
tfidf_threshold = 0.1  # cosine similarity of TF-IDF retweet vectors
max_retweet_delay = 600  # s: a "fast" retweet comes at most this long after the original
n_permutations = 100  # null-model permutations per trace, release and null model
null_models = ["swap", "item"]  # nulls to test edges against (coordination.null_model.METHODS)
alpha = 0.05  # false discovery rate for significant edges (Benjamini-Hochberg)
sweep_windows = [0, 60, 300, 1800, 7200]  # s: sensitivity sweep
sweep_min_weights = [1, 2, 3, 5]

# %% tags=[]
import pandas as pd

from ioa_utils import findings, paths
from ioa_utils.coordination import analysis as an
from ioa_utils.coordination import plots, sensitivity_sweep, stage
from ioa_utils.workspace import Workspace

p = an.Params(window_retweet, window_tweet, window_entity, min_weight, min_weight_entity,
              near_duplicate_threshold, tfidf_threshold, max_retweet_delay, seed)
print("parameters:", "the library's defaults" if p == an.DEFAULTS else "non-default (their own stage tables)")
ws = Workspace(raw_dir, work_dir, seed, scale)
releases = ws.prepare(releases)
truth = {r: ws.truth(r) for r in releases}
print(f"data: {paths.display(ws.raw_dir)}; releases: {', '.join(releases)}")
print("ground truth:", {r: ("planted" if g is not None else "none (real data)") for r, g in truth.items()})

# %% [markdown] tags=[]
# ## 1. The tweets
#
# *Why:* coordination traces live in different tweet kinds — retweets carry co-retweet and ring
# behaviour, originals carry co-tweeting, links and hashtags — so first how much of each there is.

# %% tags=[]
an.kinds_table(releases, ws.work_dir)

# %% [markdown] tags=[]
# ## 2. How fast is coordinated? A data-driven window
#
# *Why:* any window is a choice. CooRnet's estimate looks at the fastest 10 % of shared items (by time to
# their second share) and takes the median time they need to reach half of their shares. It is a sanity
# check for the windows chosen in the parameters (seconds; on minute-precision data, multiples of 60 and
# possibly 0).

# %% tags=[]
an.window_estimates(releases, q=0.1, p=0.5, work_dir=ws.work_dir)

# %% [markdown] tags=[]
# ## 3. One network per trace
#
# *Why:* each trace detects a different behaviour — co-retweet (amplification squads, retweet-for-hire),
# co-tweet and near-duplicate text (copy-paste scripts, paraphrased templates), co-URL / co-hashtag /
# co-mention (link, trend and target pushing), identical hashtag sequences (templates), fast retweets and
# retweet rings (accounts boosting each other within minutes), internal amplification (retweets of the
# release's own accounts), and the TF-IDF cosine projection of retweeted tweets (Pacheco et al., 2021), an
# alternative weighting that ignores time. All projections use sorted window joins or sparse matrices, and
# each trace reads only the tweet columns it needs (`coordination.traces.TRACES`).

# %% tags=[]
nets = {r: an.networks(r, ws.work_dir, p) for r in releases}
pd.concat({r: an.summary(n).set_index("trace") for r, n in nets.items()}, names=["release"])

# %% [markdown] tags=[]
# ## 4. How sure are we? Edges against a null model
#
# *Why:* two very active accounts will co-retweet popular tweets by chance. Each null model randomises the
# events `n_permutations` times while every shared tweet keeps its number of shares, every account its
# activity, and no retweet lands before its original; the weight of every pair is recomputed, and an edge is
# significant when its empirical p-value, adjusted by Benjamini-Hochberg over *all candidate pairs* (every
# pair that co-occurs at least once, not only the edges above the minimum weight), is at most `alpha`.
# `swap` gives each event another shared item, keeping its delay after that item's first share: it asks
# whether two accounts share the same items at the same moments more than popularity and reaction speed
# explain. `item` only permutes the times among the shares of each item: it asks whether the pair is more
# synchronised than the item's own cascade, and cannot flag accounts that are the only ones to share an item.
# An edge significant under `swap` but not `item` is explained by what the two accounts chose to share (which
# is also what a fan or news community does), not by their timing alone.

# %% tags=[]
sig = {r: an.significance(r, nets[r], p, n_permutations=n_permutations, methods=tuple(null_models), alpha=alpha,
                          work_dir=ws.work_dir) for r in releases}
an.significance_summary(sig)

# %% [markdown] tags=[]
# ## 5. Groups: communities, retweet rings, amplifiers
#
# *Why:* edges are pairs; operations are groups. Louvain communities (igraph's implementation, fixed seed)
# partition each network; retweet rings are dense groups whose members retweet *each other* within
# `max_retweet_delay`; amplifiers are accounts that mostly retweet, and mostly a handful of accounts — the core
# they serve (thresholds: `coordination.traces.AMPLIFIER` and `RING`, the same in every notebook).

# %% tags=[]
comms = {r: an.stage_communities(r, ws.work_dir, p) for r in releases}
an.group_summary(releases, comms, p, ws.work_dir)

# %% [markdown] tags=[]
# ## 6. Against the planted ground truth
#
# *Why:* on the synthetic archive we know which accounts were planted in coordinated groups, and of which
# kind. Each trace is scored on the kinds it is meant to find: precision and recall of the accounts it
# links (organic control accounts are the negatives), and the adjusted Rand index between its communities
# and the planted groups. Targets: co-retweet and TF-IDF retweet vectors — amplification, retweet-for-hire
# and ring groups; co-tweet and near-duplicate — co-tweeting groups; fast retweets and rings — retweet
# rings; internal amplification — amplifier/core groups; entity traces and hashtag sequences — any planted
# group. `positives` counts the planted accounts of those kinds (NaN scores: none in that release). Real
# releases have no ground truth, and this step says so.

# %% tags=[]
scored = {r: an.scores(nets[r], comms[r], truth[r]) for r in releases}
missing = [r for r, s in scored.items() if s is None]
if missing:
    print("no ground truth (real data) for:", ", ".join(missing))
table = {r: s.set_index("trace").drop(columns="planted kinds") for r, s in scored.items() if s is not None}
pd.concat(table, names=["release"]).round(3) if table else None

# %% [markdown] tags=[]
# ## 7. What the coordinated groups look like
#
# *Why:* a drawing shows structure a table hides — dense cliques of co-tweeters, stars of amplifiers
# around a core, rings. The largest connected components of the combined co-retweet, co-tweet, ring and
# amplification network, coloured by role (planted role on synthetic data, inferred role otherwise).

# %% tags=[]
for r in releases:
    role = an.roles(r, nets[r], truth[r], p, ws.work_dir)
    plots.draw_components(an.combined(nets[r]), role, n=4, seed=seed, title=r)

# %% [markdown] tags=[]
# *Why:* heavy tails in degree and weight are what separates a few intensely coordinated accounts from
# the many that co-occur once or twice.

# %% tags=[]
for r in releases:
    main = {t: nets[r][t] for t in ("co_retweet", "co_tweet", "near_duplicate", "co_hashtag", "amplification")}
    plots.degree_weight_distributions(main, title=r)

# %% [markdown] tags=[]
# *Why:* coordination comes in campaigns; the tweet pairs behind co-retweet and co-tweet edges over time
# show when the operation was active.

# %% tags=[]
evidence = {r: an.evidence(r, nets[r], p, work_dir=ws.work_dir) for r in releases}
for r in releases:
    plots.coordination_over_time(evidence[r], freq="W", title=r, span=an.release_span(r, ws.work_dir))

# %% [markdown] tags=[]
# ## 8. How much do the results depend on the parameters?
#
# *Why:* a finding that holds only for one window is fragile. The sweep recomputes the co-retweet and
# co-tweet networks for every window and weight threshold: how many accounts they flag and, with ground
# truth, how F1 against the planted groups changes.

# %% tags=[]
sweeps = {}
for r in releases:
    for trace in ("co_retweet", "co_tweet"):
        sweeps[r, trace] = sensitivity_sweep(an.trace_events(r, trace, ws.work_dir), sweep_windows,
                                             sweep_min_weights, truth[r], an.TARGETS[trace])
        plots.sweep_figure(sweeps[r, trace], title=f"{r}: {trace}")

# %% [markdown] tags=[]
# ## 9. Export for Gephi
#
# *Why:* networks are explored interactively. Each main trace is written as GEXF and GraphML with node
# attributes, plus a Parquet table of the tweets behind each edge.

# %% tags=[]
written = [f for r in releases for f in an.export_release(r, nets[r], comms[r], p, truth[r], work_dir=ws.work_dir)]
sorted({paths.display(f.parent) for f in written}), len(written)

# %% [markdown] tags=[]
# ## Conclusion
#
# *Why:* what the tables above say about each trace, in sentences computed from them (they change with
# the data): which traces recover the planted groups they target, how their edges fare against the null
# model, and which planted accounts co-retweeting misses. On real releases, the same code produces the
# same tables and files, the ground-truth step says there is nothing to score against, and the null model
# and the sensitivity sweep are what tell how much to trust an edge.

# %% tags=[]
findings.trace_recovery(scored)

# %% tags=[]
findings.null_model(an.significance_summary(sig), alpha)

# %% tags=[]
amps = {r: stage.read(r, "amplifiers", ws.work_dir, p) for r in releases}
findings.missed_by_trace("co_retweet", nets, amps, truth)

# %% [markdown] tags=[]
# ## Limitations
#
# - Every trace measures co-activity, not intent: fan or news communities reacting to the same event within
#   minutes can look coordinated; the null model only says an edge is unlikely under its own assumptions.
#   The `swap` null cannot tell coordination from a shared interest (accounts that follow the same sources
#   share the same posts); the `item` null cannot flag accounts that are the only ones to share an item, which
#   is the case of every planted group here. The synthetic archive holds organic look-alikes (fan communities
#   retweeting the same viral posts within minutes, news aggregators posting the same headlines); the account
#   scores count them as false positives.
# - Timestamps have minute precision, so windows below 60 s mean "the same minute" on real data, and fast-
#   retweet delays are accurate to a minute at best.
# - On the synthetic archive the scores are measured against groups planted by a generator written by the
#   same project, and against organic accounts (as many as the campaign's or more, some made to look
#   coordinated) from the same generator: precision against them does not carry over to real releases, which
#   contain no control accounts at all.
# - Louvain communities depend on the seed; a single seed is shown.
# - Thresholds (windows, minimum weights, similarity cut-offs) are library defaults, not tuned per release;
#   the sensitivity sweep shows how results move with them.

# %% [markdown] tags=[]
# ## References

# %% tags=[]
from ioa_utils import references

references.section([
    "pacheco_2021", "giglietto_2020", "coordination_toolkit", "coortweet", "luceri_2024", "broder_1997",
    "blondel_2008", "csardi_2006", "benjamini_1995", "wilson_1927"
], heading="")
