"""Calendar bins for UTC timestamps (weekly and monthly counts throughout the notebooks)."""

from __future__ import annotations

import pandas as pd


def period_start(times: pd.Series, freq: str = "M") -> pd.Series:
    """Start of the calendar period (``"M"`` month, ``"W"`` week ending Sunday, …) of each UTC timestamp,
    as a naive UTC datetime (what plotting and grouping expect)."""
    return times.dt.tz_convert(None).dt.to_period(freq).dt.start_time



def _naive_day(t) -> pd.Timestamp:
    t = pd.Timestamp(t)
    return (t.tz_convert(None) if t.tzinfo is not None else t).normalize()


def partial(periods: pd.Series, first, last, freq: str = "M") -> pd.Series:
    """Whether each period (start times from :func:`period_start`) is only partly covered by data running
    from ``first`` to ``last`` (timestamps, naive ones read as UTC): the data start after its first day or
    end before its last day. A release's last month usually ends early: drawn as a whole month, it looks
    like a collapse."""
    periods = pd.Series(periods)
    starts = pd.to_datetime(periods).dt.normalize()
    ends = starts.dt.to_period(freq).dt.end_time.dt.normalize()
    return (starts < _naive_day(first)) | (ends > _naive_day(last))
