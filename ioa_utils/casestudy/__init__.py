"""Case studies of the June 2020 takedowns: one profile for every release, and detectors for the tactics
the Stanford Internet Observatory described (China, Russia "Current Policy", Turkey AKP youth wing).

Typical use::

    from ioa_utils import casestudy as cs
    from ioa_utils.workspace import Workspace
    ws = Workspace(raw_dir, work_dir)            # the folders (and synthetic seed, scale); ws.prepare() first
    data = cs.load(release, ws, timezone="Asia/Shanghai")  # accounts, truth; tweets via SQL
    data.query("SELECT tweet_kind, count(*) FROM tweets GROUP BY ALL")  # DuckDB over the processed Parquet
    prof = cs.profile(data)                      # DataFrames; cs.fig_timelines(prof), ...
    found = cs.russia.official_posers(data)      # a Finding: .accounts, .evidence, .summary()
    cs.print_score(found, data.truth)            # precision/recall vs planted roles (synthetic only)

Every detector works on any release and returns a :class:`Finding`, saying "not applicable" (with the
reason) when the data does not support it. What is specific to one campaign (narratives, promotion/attack,
thresholds) is in its campaign file (:mod:`.campaign`, ``ioa_utils/data/campaigns/``).
"""

from . import campaign, china, compare, figures, lexicon, narratives, russia, turkey
from .base import (
    CaseData,
    Finding,
    guess_campaign,
    guess_timezone,
    load,
    pick_release,
    print_score,
    score_roles,
    score_table,
    topic_assignments,
)
from .figures import fig_accounts, fig_hours, fig_timelines
from .profile import Profile, profile

__all__ = [
    "CaseData", "Finding", "Profile", "campaign", "china", "compare", "fig_accounts", "figures", "fig_hours",
    "fig_timelines", "guess_campaign", "guess_timezone", "lexicon", "load", "narratives", "pick_release", "print_score",
    "profile", "russia", "score_roles", "score_table", "topic_assignments", "turkey",
]
