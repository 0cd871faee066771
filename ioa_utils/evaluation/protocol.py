"""The evaluation protocol: which data seeds develop, which are held out, and which thresholds are swept.

Data seeds (the generator's ``seed``) are separate from the model seed (Louvain's, ``Params.seed``, fixed at
the library default). Development and held-out seeds are disjoint and neither includes the default archive's
seed, so nothing the notebooks print on the default data is used to tune or to score here.

``GRID`` is the one home of the swept values: detector -> parameter -> values, every grid containing the
library's default (``coordination.traces`` for coordination thresholds, the campaign template's ``thresholds``
for the case-study detectors), so "keep the default" is always one of the choices. Not swept, scored at their
defaults only: ``narratives`` and ``party messaging`` (their threshold is an applicability share of the release,
not a per-account rule), ``official posers`` (a keyword list, no threshold), and the coordination traces other
than co-retweet and co-tweet (their windows and weights are the same ``Params`` fields; the near-duplicate and
TF-IDF similarity thresholds are left for later).

Selection criterion (:func:`.select.choose`): per detector, the grid setting with the highest mean F1 over the
development seeds and the releases where the detector's targets are planted; ties (within ``TIE``) keep the
library default, then the first setting in grid order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..casestudy.campaign import DEFAULTS as DETECTOR_DEFAULTS
from ..coordination.traces import AMPLIFIER, RING
from ..coordination.traces import DEFAULTS as COORDINATION

DEFAULT_SEED = 2020  # the default archive's seed: never a development or held-out seed
TIE = 1e-9  # mean F1 differences below this are ties

# Swept thresholds (windows in seconds; archive timestamps have minute precision, so no window under 60 s).
GRID: dict[str, dict[str, tuple]] = {
    "co_retweet": {"window": (60, 300, 600, 1800, 7200), "min_weight": (1, 2, 3, 5)},
    "co_tweet": {"window": (60, 300, 600, 1800, 7200), "min_weight": (1, 2, 3, 5)},
    "amplifiers": {"min_retweet_share": (0.5, 0.7, 0.9), "min_concentration": (0.5, 0.6, 0.7, 0.8, 0.9)},
    "core": {"min_amplifiers": (1, 2, 3, 5)},
    "retweet rings": {"min_size": (3, 4, 5), "min_density": (0.3, 0.5, 0.7, 0.9)},
    "zero-follower personas": {"max_followers": (0, 2, 5, 10, 25, 50)},
    "office hours": {"min_share": (0.5, 0.6, 0.7, 0.8, 0.9)},
    "cheerleading": {"min_share": (0.1, 0.15, 0.25, 0.35, 0.5)},
    "low engagement": {"max_per_tweet": (0.25, 0.5, 1.0, 2.0, 4.0)},
    "retweet-for-hire": {"min_external": (0.3, 0.5, 0.7), "min_bursts": (2, 5, 10)},
    "compromised accounts": {"min_change": (0.4, 0.5, 0.6, 0.7, 0.8)},
    "single-issue batches": {"min_batch": (3, 5, 8), "min_focus": (0.6, 0.7, 0.8, 0.9)},
}
NOT_SWEPT = ("narratives", "official posers", "party messaging")  # case-study detectors scored at defaults only

# Where each swept value's library default lives (campaign-template detector key, or the coordination constant).
CAMPAIGN_KEY = {"zero-follower personas": "personas", "office hours": "office_hours", "cheerleading": "cheerleading",
                "low engagement": "engagement", "retweet-for-hire": "retweet_for_hire",
                "compromised accounts": "compromised", "single-issue batches": "single_issue_batches",
                "narratives": "narratives", "party messaging": "party_messaging"}


def defaults(detector: str) -> dict:
    """The library's default value of every swept parameter of ``detector``."""
    names = GRID[detector]
    if detector in ("co_retweet", "co_tweet"):
        window = COORDINATION.window_retweet if detector == "co_retweet" else COORDINATION.window_tweet
        return {"window": window, "min_weight": COORDINATION.min_weight}
    if detector in ("amplifiers", "core"):
        return {k: AMPLIFIER[k] for k in names}
    if detector == "retweet rings":
        return {k: RING[k] for k in names}
    return {k: DETECTOR_DEFAULTS[CAMPAIGN_KEY[detector]][k] for k in names}


@dataclass(frozen=True)
class Protocol:
    """Development and held-out data seeds and the generator's scale (1.0: the default archive's size)."""

    dev_seeds: tuple[int, ...] = (101, 102, 103, 104, 105)
    heldout_seeds: tuple[int, ...] = (201, 202, 203, 204, 205)
    scale: float = 1.0
    grid: dict = field(default_factory=lambda: GRID)

    def __post_init__(self) -> None:
        dev, held = set(self.dev_seeds), set(self.heldout_seeds)
        if dev & held:
            raise ValueError(f"development and held-out seeds overlap: {sorted(dev & held)}")
        if DEFAULT_SEED in dev | held:
            raise ValueError(f"seed {DEFAULT_SEED} is the default archive's: not a development or held-out seed")
        if len(self.dev_seeds) < 1 or len(self.heldout_seeds) < 2:
            raise ValueError("need at least one development seed and two held-out seeds (for a standard deviation)")

    @property
    def seeds(self) -> tuple[int, ...]:
        return (*self.dev_seeds, *self.heldout_seeds)

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}


DEFAULT = Protocol()
