"""Calendar bins for UTC timestamps (weekly and monthly counts throughout the notebooks)."""

from __future__ import annotations

import pandas as pd


def period_start(times: pd.Series, freq: str = "M") -> pd.Series:
    """Start of the calendar period (``"M"`` month, ``"W"`` week ending Sunday, …) of each UTC timestamp,
    as a naive UTC datetime (what plotting and grouping expect)."""
    return times.dt.tz_convert(None).dt.to_period(freq).dt.start_time
