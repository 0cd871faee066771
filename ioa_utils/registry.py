"""Every release of Twitter's information-operations archive: who it is attributed to, the time zones to
read its posting hours in, its main languages and when it was announced (``data/releases.yaml``, sources
cited there).

A release id is matched the way :func:`ioa_utils.discover.release_id` derives it from a file name: a
``hashed_YYYY_MM_`` prefix and a doubled stem are ignored, and so is the ``synth_`` prefix of the synthetic
archive, whose releases resolve to the real release they imitate (``synth_china_052020`` -> ``china_052020``).
An id the registry does not know has no time zone: :func:`timezone_for` raises :class:`UnknownReleaseError`
naming the parameter to set, instead of reading posting hours in UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

SYNTHETIC_PREFIX = "synth_"
# Where each notebook takes the time zone (checked against the notebooks' parameters cells in the tests).
PARAMETERS = ("`timezone` in the case-study notebooks 05-07 (`cs.load(release, ws, timezone)`), or "
              "`timezones={release: zone}` in notebook 08 and the report (`compare.load_all(..., timezones)`)")


class UnknownReleaseError(LookupError):
    """A release id that is not in the registry, where its attributed time zone was needed."""

    def __init__(self, release: str):
        self.release = release
        super().__init__(
            f"release {release!r} is not in the registry of Twitter's information-operations releases "
            f"(ioa_utils/data/releases.yaml), so the time zone of its attributed country is unknown and posting "
            f"hours would silently be read in UTC. Set it: {PARAMETERS}, to an IANA name such as 'Asia/Bangkok'; "
            f"or add the release to the registry with its source.")

    def __str__(self) -> str:  # LookupError would repr() the message
        return self.args[0]


@dataclass(frozen=True)
class Release:
    """One dataset of the archive (fields as documented at the top of ``data/releases.yaml``)."""

    id: str
    pattern: re.Pattern
    country: str
    actor: str
    timezones: tuple[str, ...]
    languages: tuple[str, ...]
    languages_from: str
    announced: dt.date
    sources: tuple[str, ...]  # URLs (or, for an unlinked inventory, its description)
    confidence: str
    accounts: int | None = None
    notes: str = ""

    @property
    def timezone(self) -> str:
        """The default zone: the first listed (the capital's when the country spans several)."""
        return self.timezones[0]


def _load() -> tuple[Release, ...]:
    doc = yaml.safe_load(resources.files("ioa_utils").joinpath("data/releases.yaml").read_text(encoding="utf-8"))
    urls = doc["sources"]
    out = []
    for e in doc["releases"]:
        out.append(Release(
            id=e["id"], pattern=re.compile(e["pattern"], re.IGNORECASE), country=e["country"], actor=e["actor"],
            timezones=tuple(e["timezones"]), languages=tuple(e["languages"]), languages_from=e["languages_from"],
            announced=e["announced"], sources=tuple(urls[k] for k in e["sources"]), confidence=e["confidence"],
            accounts=e.get("accounts"), notes=" ".join(str(e.get("notes", "")).split())))
    return tuple(out)


@cache
def releases() -> tuple[Release, ...]:
    """Every release of the registry, read once."""
    return _load()


def normalize(release_id: str) -> str:
    """The official stem a release id or file name stands for: ``hashed_2020_09_thailand_092020_thailand_092020``
    -> ``thailand_092020``; ``synth_china_052020`` -> ``china_052020``."""
    from .discover import release_id as from_file_name

    parsed = from_file_name(release_id)
    stem = parsed[0] if parsed else re.sub(r"^hashed_\d{4}_\d{2}_", "", release_id, flags=re.IGNORECASE)
    half = len(stem) // 2
    if len(stem) % 2 == 1 and stem[:half] == stem[half + 1:] and stem[half] == "_":
        stem = stem[:half]
    if stem.lower().startswith(SYNTHETIC_PREFIX):
        stem = stem[len(SYNTHETIC_PREFIX):]
    return stem


def lookup(release_id: str) -> Release | None:
    """The registry's entry for a release id (or an official file name), or None."""
    stem = normalize(release_id)
    return next((r for r in releases() if r.pattern.fullmatch(stem)), None)


def timezone_for(release_id: str, override: str | None = None) -> str:
    """``override`` when given; else the registry's first time zone for the release; else
    :class:`UnknownReleaseError` naming the parameter to set (never UTC by default)."""
    if override:
        return override
    found = lookup(release_id)
    if found is None:
        raise UnknownReleaseError(release_id)
    return found.timezone
