"""Coordination networks: who amplified whom, which accounts acted in concert, and how sure we are.

:mod:`.traces` is the registry of traces and the one home of every coordination threshold; :mod:`.stage`
computes every trace's edges, communities, rings and amplifiers once per release (a cached stage like load
and clean) for the notebooks, case studies and report to read.

Modules: :mod:`.networks` (interaction and co-activity networks), :mod:`.cooccurrence` (the sorted window-join
engine), :mod:`.minhash` (near-duplicate text), :mod:`.tfidf` (Pacheco et al.'s TF-IDF
cosine projection), :mod:`.window` (CooRnet's data-driven window), :mod:`.null_model` (edge
significance), :mod:`.groups` (communities, retweet rings, amplifiers), :mod:`.evaluate` (scores vs
planted ground truth), :mod:`.sweep`, :mod:`.export` (Gephi files), :mod:`.plots`, :mod:`.toolkit`
(bridge to the reference ``coordination_network_toolkit`` and the emulation of its inputs, for tests).
"""

from .cooccurrence import Events, directed_weights, make_events, undirected
from .evaluate import nodes_of, score_accounts, score_communities, score_table
from .export import edge_evidence, export_network, node_table
from .groups import amplified_core, amplifiers, communities, retweet_rings, to_graph
from .minhash import near_duplicate
from .networks import (
    MinutePrecisionWarning,
    amplification_network,
    co_domain,
    co_hashtag,
    co_hashtag_sequence,
    co_mention,
    co_network,
    co_retweet,
    co_retweet_events,
    co_tweet,
    co_tweet_events,
    co_url,
    fast_retweet_network,
    hashtag_sequence_events,
    list_events,
    mention_network,
    reply_network,
    retweet_delays,
    retweet_network,
)
from .null_model import edge_significance
from .sweep import sensitivity_sweep
from .tfidf import tfidf_network
from .window import estimate_window

__all__ = [
    "Events", "MinutePrecisionWarning", "amplification_network", "amplified_core", "amplifiers", "co_domain",
    "co_hashtag",
    "co_hashtag_sequence", "co_mention", "co_network", "co_retweet", "co_retweet_events", "co_tweet",
    "co_tweet_events", "co_url", "communities", "directed_weights", "edge_evidence", "edge_significance",
    "estimate_window", "export_network", "fast_retweet_network", "hashtag_sequence_events", "list_events",
    "make_events", "mention_network", "near_duplicate", "node_table", "nodes_of", "reply_network",
    "retweet_delays", "retweet_network", "retweet_rings", "score_accounts", "score_communities",
    "score_table", "sensitivity_sweep", "tfidf_network", "to_graph", "undirected",
]
