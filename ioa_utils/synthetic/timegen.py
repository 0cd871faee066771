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


def office_hours(days: np.ndarray, rng: np.random.Generator, first_hour: int, last_hour: int,
                 p_office: float = 0.92) -> np.ndarray:
    """Times on weekdays between first_hour and last_hour UTC with probability p_office, else any time."""
    n = len(days)
    office = rng.random(n) < p_office
    dow = (days + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    days = np.where(office & (dow == 5), days - 1, days)  # Saturday -> Friday
    days = np.where(office & (dow == 6), days + 1, days)  # Sunday -> Monday
    secs = np.where(office, rng.integers(first_hour * 3600, last_hour * 3600, size=n),
                    rng.integers(0, DAY, size=n))
    return days * DAY + secs


def diurnal(days: np.ndarray, rng: np.random.Generator, utc_offset: int) -> np.ndarray:
    """Organic timing: any day, a local-time daily rhythm (quiet at night)."""
    local = np.array([1, .5, .3, .2, .2, .4, 1, 2, 3, 3, 3, 3, 3.5, 3, 3, 3, 3, 3.5, 4, 4.5, 4.5, 4, 3, 2])
    hours = rng.choice(24, size=len(days), p=local / local.sum())
    secs = ((hours - utc_offset) % 24) * 3600 + rng.integers(0, 3600, size=len(days))
    return days * DAY + secs


def to_ms(secs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.asarray(secs, dtype=np.int64) * 1000 + rng.integers(0, 1000, size=len(secs))
