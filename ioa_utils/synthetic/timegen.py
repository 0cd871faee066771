"""Sampling tweet times (int64 seconds since the Unix epoch, UTC)."""

from __future__ import annotations

import numpy as np

DAY = 86400


def day_of(date: str) -> int:
    """Days since the Unix epoch of an ISO date."""
    return int(np.datetime64(date, "D").astype(np.int64))


def month_days(month_weights: dict[str, float], rng: np.random.Generator, n: int) -> np.ndarray:
    """Days sampled month by month (keys 'YYYY-MM'), uniform within a month."""
    months = np.array([np.datetime64(m, "M") for m in month_weights])
    w = np.array(list(month_weights.values()), dtype=float)
    pick = rng.choice(len(months), size=n, p=w / w.sum())
    start = months[pick].astype("datetime64[D]").astype(np.int64)
    end = (months[pick] + 1).astype("datetime64[D]").astype(np.int64)
    return start + np.floor(rng.random(n) * (end - start)).astype(np.int64)


def uniform_days(start: str, end: str, rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(day_of(start), day_of(end), size=n, dtype=np.int64)


# Working days: starts spread over 8-10 h and ends over 17-19 h local time, with a lunch dip. The shape is an
# assumption (staggered full-time days with a lunch break), not fitted to data,
# and deliberately not the case-study detector's 9-18 h window (``data/campaigns/template.yaml``).
WORK_START = (8.0, 10.0)  # local hours: start of the working day, uniform
WORK_END = (17.0, 19.0)  # local hours: end of the working day, uniform
LUNCH = (12.0, 14.0)  # local hours within which a one-hour lunch break starts, uniform
LUNCH_KEEP = 0.35  # share of the working-time tweets falling in the break that are posted anyway


def work_hours(days: np.ndarray, rng: np.random.Generator, utc_offset: int,
               p_work: float | np.ndarray = 0.9) -> np.ndarray:
    """A work schedule: with probability ``p_work`` (per tweet; an array gives one per tweet) a time on a
    weekday between a start drawn from ``WORK_START`` and an end drawn from ``WORK_END`` (local time; fewer
    during a lunch hour), otherwise any day at an everyday rhythm (``diurnal``)."""
    n = len(days)
    days = np.asarray(days, dtype=np.int64)
    work = rng.random(n) < p_work
    dow = (days + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    wdays = np.where(dow == 5, days - 1, np.where(dow == 6, days + 1, days))  # weekend -> Friday / Monday
    start, end = rng.uniform(*WORK_START, n), rng.uniform(*WORK_END, n)
    hour = rng.uniform(start, end)
    lunch = rng.uniform(*LUNCH, n)
    in_lunch = (hour >= lunch) & (hour < lunch + 1) & (rng.random(n) >= LUNCH_KEEP)
    hour = np.where(in_lunch, rng.uniform(start, end), hour)  # redrawn once: a dip, not a hole
    secs = (np.floor(hour * 3600).astype(np.int64) - utc_offset * 3600) % DAY
    return np.where(work, wdays * DAY + secs, diurnal(days, rng, utc_offset))


def diurnal(days: np.ndarray, rng: np.random.Generator, utc_offset: int) -> np.ndarray:
    """Organic timing: any day, a local-time daily rhythm (quiet at night)."""
    local = np.array([1, .5, .3, .2, .2, .4, 1, 2, 3, 3, 3, 3, 3.5, 3, 3, 3, 3, 3.5, 4, 4.5, 4.5, 4, 3, 2])
    hours = rng.choice(24, size=len(days), p=local / local.sum())
    secs = ((hours - utc_offset) % 24) * 3600 + rng.integers(0, 3600, size=len(days))
    return days * DAY + secs


def to_ms(secs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.asarray(secs, dtype=np.int64) * 1000 + rng.integers(0, 1000, size=len(secs))
