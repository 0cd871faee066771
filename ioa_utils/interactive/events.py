"""Dated real-world events for the timelines: ``ioa_utils/data/events.yaml`` (each with a public source)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

import yaml

from .. import registry

EVERY = "*"  # ``countries`` value of an event shown on every release's timeline


@dataclass(frozen=True)
class Event:
    date: dt.date
    label: str
    countries: tuple[str, ...]
    source: str


def load() -> tuple[Event, ...]:
    """Every curated event, in date order (fails on an event without a date, label, countries or an http(s)
    source)."""
    raw = yaml.safe_load(resources.files("ioa_utils").joinpath("data/events.yaml").read_text(encoding="utf-8"))
    out = []
    for e in raw["events"]:
        source = str(e["source"])
        if not source.startswith(("https://", "http://")):
            raise ValueError(f"event {e['label']!r}: source must be a public URL, got {source!r}")
        out.append(Event(dt.date.fromisoformat(str(e["date"])), str(e["label"]), tuple(e["countries"]), source))
    return tuple(sorted(out, key=lambda e: e.date))


def for_release(release: str, start: dt.date, end: dt.date) -> list[Event]:
    """The events of the release's attributed country (from the release registry) between ``start`` and ``end``
    (inclusive); only events marked for every release when the registry does not know it."""
    known = registry.lookup(release)
    country = known.country if known else None
    return [e for e in load() if start <= e.date <= end and (EVERY in e.countries or country in e.countries)]
