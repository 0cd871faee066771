"""Data-driven coordination window (CooRnet's ``estimate_coord_interval``, Giglietto et al.).

For every item shared more than once (a retweeted tweet, a URL, a text ...): rank its shares by time.
Keep the fastest ``q`` of items -- those whose *second* share came no later than the ``q``-quantile of
time-to-second-share. For each of them, take the time from the first share to the first share that
brings the running share count above ``p`` of the item's total. The window is the median of those
times. With minute-precision archives the result is a multiple of 60 s and may well be 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .cooccurrence import Events


def estimate_window(events: Events, q: float = 0.1, p: float = 0.5) -> float | None:
    """The estimated window in seconds (``None`` if no item was shared twice)."""
    df = pd.DataFrame({"k": events.key, "t": events.time})
    n = df.groupby("k")["t"].transform("size")
    df = df[n > 1].copy()
    if df.empty:
        return None
    df = df.sort_values(["k", "t"], kind="stable")
    df["rank"] = df.groupby("k").cumcount() + 1
    df["count"] = df.groupby("k")["t"].transform("size")
    df["from_first"] = df["t"] - df.groupby("k")["t"].transform("min")
    second = df.loc[df["rank"] == 2].set_index("k")["from_first"]
    fast = second.index[second <= np.quantile(second.to_numpy(), q)]
    sub = df[df["k"].isin(fast) & (df["rank"] / df["count"] > p)]
    per_item = sub.groupby("k")["from_first"].min()
    return float(np.median(per_item.to_numpy())) if len(per_item) else None
