"""Campaign files: the narratives, promotion/attack grouping and detector thresholds of one information operation,
as editable YAML (``ioa_utils/data/campaigns/``; keys documented in ``template.yaml``, which a student copies).

:func:`load` reads and checks one file (a bundled campaign by name, ``china`` or ``china_052020``, or any file by
path) and raises :class:`CampaignError` naming the file and the key when something is wrong. :func:`bundled`
lists the project's campaigns (the June 2020 three), :func:`for_release` finds the campaign of a release: the
bundled file whose ``releases`` pattern matches the release id as the registry normalises it
(``synth_china_052020`` -> ``china_052020``). The detector defaults are the template's ``thresholds``
(:data:`DEFAULTS`, the one home of these values); a campaign file overrides the ones it gives.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

TEMPLATE = "template.yaml"
REQUIRED = ("name", "narratives")
OPTIONAL = ("title", "releases", "chapter", "sources", "peak", "promotion", "attack", "thresholds")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class CampaignError(ValueError):
    """A campaign file that cannot be used, with the file and the key at fault."""

    def __init__(self, path: str | Path, key: str, problem: str):
        self.path, self.key = str(path), key
        super().__init__(f"campaign file {path}: key `{key}`: {problem} (see ioa_utils/data/campaigns/{TEMPLATE})")

    def __str__(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class Campaign:
    """One campaign file, checked (fields as documented in ``template.yaml``)."""

    name: str
    path: str
    narratives: dict[str, tuple[str, ...]]
    title: str = ""
    releases: str = ""
    chapter: str | None = None
    sources: tuple[str, ...] = ()
    peak: str | None = None
    promotion: tuple[str, ...] = ()
    attack: tuple[str, ...] = ()
    thresholds: dict[str, dict[str, Any]] = field(default_factory=dict)

    def params(self, detector: str) -> dict[str, Any]:
        """The thresholds of ``detector`` (a key of :data:`DEFAULTS`): this file's values over the defaults."""
        return {**DEFAULTS[detector], **self.thresholds.get(detector, {})}

    def matches(self, release: str) -> bool:
        """Whether ``releases`` matches the whole (normalised) release id; an empty pattern matches none."""
        from ..registry import normalize

        return bool(self.releases) and re.fullmatch(self.releases, normalize(release), re.IGNORECASE) is not None

    def content(self) -> dict[str, Any]:
        """Everything a result depends on (not where the file lives), for stage stamps."""
        return {"name": self.name, "narratives": {k: list(v) for k, v in self.narratives.items()}, "peak": self.peak,
                "promotion": list(self.promotion), "attack": list(self.attack),
                "thresholds": {d: self.params(d) for d in DEFAULTS}}

    def digest(self) -> str:
        """SHA-256 of :meth:`content`: editing the file changes it."""
        text = json.dumps(self.content(), sort_keys=True, ensure_ascii=False, default=list)
        return hashlib.sha256(text.encode()).hexdigest()


def folder() -> Path:
    """The bundled campaign files (``ioa_utils/data/campaigns/``)."""
    return Path(str(resources.files("ioa_utils").joinpath("data/campaigns")))


def _read(path: Path) -> dict:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CampaignError(path, "(file)", "no such file") from None
    except yaml.YAMLError as exc:
        raise CampaignError(path, "(file)", f"not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise CampaignError(path, "(file)", "must be a mapping of keys to values")
    return doc


def _thresholds(path: Path, given: Any, defaults: dict[str, dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
    """``given`` checked against ``defaults`` (same detectors and parameters, numbers where numbers are); the
    template itself (``defaults`` None) is only checked for shape."""
    if given is None:
        return {}
    if not isinstance(given, dict):
        raise CampaignError(path, "thresholds", "must map detector names to their parameters")
    out = {}
    for det, values in given.items():
        key = f"thresholds.{det}"
        if defaults is not None and det not in defaults:
            raise CampaignError(path, key, f"unknown detector; detectors: {', '.join(defaults)}")
        if not isinstance(values, dict):
            raise CampaignError(path, key, "must map parameter names to values")
        out[det] = {}
        for name, v in values.items():
            ref = None if defaults is None else defaults[det].get(name, KeyError)
            if ref is KeyError:
                raise CampaignError(path, f"{key}.{name}", f"unknown parameter; {det} takes "
                                                           f"{', '.join(defaults[det])}")
            out[det][name] = _value(path, f"{key}.{name}", v, ref)
    return out


def _value(path: Path, key: str, v: Any, ref: Any) -> Any:
    """A threshold value of the type of the template's (``ref``): a number, or a pair of hours as a tuple."""
    number = (int, float)
    if isinstance(ref, tuple) or isinstance(v, list):
        if not (isinstance(v, list | tuple) and len(v) == 2 and all(isinstance(x, int) for x in v)
                and 0 <= v[0] < v[1] <= 24):
            raise CampaignError(path, key, f"must be two hours [start, end] with 0 <= start < end <= 24, not {v!r}")
        return tuple(v)
    if isinstance(v, bool) or not isinstance(v, number) or (isinstance(ref, int) and not isinstance(v, int)):
        kind = "a whole number" if isinstance(ref, int) else "a number"
        raise CampaignError(path, key, f"must be {kind}, not {v!r}")
    if v < 0:
        raise CampaignError(path, key, f"must not be negative, not {v!r}")
    return v


def _words(path: Path, key: str, v: Any, allowed: dict | None = None) -> tuple[str, ...]:
    if v is None:
        return ()
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        raise CampaignError(path, key, "must be a list of non-empty strings")
    if allowed is not None and (bad := [x for x in v if x not in allowed]):
        raise CampaignError(path, key, f"{', '.join(bad)} not among the narratives ({', '.join(allowed)})")
    return tuple(v)


def parse(path: Path, doc: dict, defaults: dict[str, dict[str, Any]] | None) -> Campaign:
    """A :class:`Campaign` from the mapping ``doc`` read from ``path``, checked key by key."""
    unknown = sorted(set(doc) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise CampaignError(path, unknown[0], f"unknown key; keys: {', '.join(REQUIRED + OPTIONAL)}")
    for k in REQUIRED:
        if doc.get(k) in (None, "", {}):
            raise CampaignError(path, k, "missing")
    name = doc["name"]
    if not isinstance(name, str) or not _NAME.match(name):
        raise CampaignError(path, "name", f"must be lower-case letters, digits and _ (starting with a letter), "
                                          f"not {name!r}")
    nar = doc["narratives"]
    if not isinstance(nar, dict):
        raise CampaignError(path, "narratives", "must map each label to a list of keywords")
    narratives = {}
    for label, words in nar.items():
        if not isinstance(label, str) or not label.strip():
            raise CampaignError(path, "narratives", f"label {label!r} must be a non-empty string")
        ws = _words(path, f"narratives.{label}", words)
        if not ws:
            raise CampaignError(path, f"narratives.{label}", "needs at least one keyword")
        if bad := [w for w in ws if w != w.lower()]:
            raise CampaignError(path, f"narratives.{label}", f"keywords are lower case: {', '.join(bad)}")
        narratives[label] = ws
    releases = doc.get("releases") or ""
    if not isinstance(releases, str):
        raise CampaignError(path, "releases", "must be a regular expression (a string)")
    try:
        re.compile(releases)
    except re.error as exc:
        raise CampaignError(path, "releases", f"not a valid regular expression: {exc}") from None
    peak = doc.get("peak")
    if peak is not None and peak not in narratives:
        raise CampaignError(path, "peak", f"{peak!r} is not among the narratives ({', '.join(narratives)})")
    for k in ("title", "chapter"):
        if doc.get(k) is not None and not isinstance(doc[k], str):
            raise CampaignError(path, k, "must be a string")
    sources = _words(path, "sources", doc.get("sources"))
    if defaults is not None and (bad := [x for x in sources if x not in _reference_keys() and "://" not in x]):
        raise CampaignError(path, "sources", f"{', '.join(bad)}: neither a key of ioa_utils/data/references.yaml "
                                             "nor a URL")
    return Campaign(name=name, path=str(path), narratives=narratives, title=doc.get("title") or "",
                    releases=releases, chapter=doc.get("chapter"), sources=sources,
                    peak=peak, promotion=_words(path, "promotion", doc.get("promotion"), narratives),
                    attack=_words(path, "attack", doc.get("attack"), narratives),
                    thresholds=_thresholds(path, doc.get("thresholds"), defaults))


@cache
def _reference_keys() -> frozenset[str]:
    from ..references import all_references

    return frozenset(all_references())


@cache
def template() -> Campaign:
    """``template.yaml``: the documented example, whose thresholds are every detector's defaults."""
    path = folder() / TEMPLATE
    return parse(path, _read(path), None)


def _defaults() -> dict[str, dict[str, Any]]:
    return template().thresholds


DEFAULTS: dict[str, dict[str, Any]] = _defaults()


def load_file(path: str | Path) -> Campaign:
    """The campaign file at ``path``, checked."""
    path = Path(path).expanduser()
    return parse(path, _read(path), DEFAULTS)


@cache
def bundled() -> tuple[Campaign, ...]:
    """The project's campaign files (every ``*.yaml`` of :func:`folder` but the template), in file-name order."""
    return tuple(load_file(p) for p in sorted(folder().glob("*.yaml")) if p.name != TEMPLATE)


def load(campaign: str | Path | Campaign) -> Campaign:
    """A campaign: given as is; a bundled one by its ``name`` or file stem (``china``, ``china_052020``); else a
    file by path (a relative path from the current folder, else from the project root, as notebooks resolve
    paths)."""
    from ..paths import resolve

    if isinstance(campaign, Campaign):
        return campaign
    key = str(campaign)
    for c in bundled():
        if key in (c.name, Path(c.path).stem):
            return c
    path = Path(key).expanduser()
    path = path if path.exists() else resolve(key)
    if not path.exists():
        names = ", ".join(c.name for c in bundled())
        raise CampaignError(path, "(file)", f"no such file, and not a bundled campaign ({names})")
    return load_file(path)


def for_release(release: str, given: str | Path | Campaign | None = None) -> Campaign | None:
    """The campaign of ``release``: ``given`` (a name, path or Campaign) when its ``releases`` pattern is empty
    or matches the release; else the bundled campaign whose pattern matches; else None."""
    if given is not None:
        c = load(given)
        if not c.releases or c.matches(release):
            return c
    return next((c for c in bundled() if c.matches(release)), None)


def thresholds(campaign: Campaign | None, detector: str) -> dict[str, Any]:
    """The thresholds of ``detector`` for ``campaign`` (None: the defaults, :data:`DEFAULTS`)."""
    return dict(DEFAULTS[detector]) if campaign is None else campaign.params(detector)


def resolve(campaign: Campaign | None, detector: str, **given: Any) -> dict[str, Any]:
    """The thresholds of ``detector`` (:func:`thresholds`) with the ``given`` values that are not None instead (a
    notebook's parameters: None means "the campaign file's")."""
    return {**thresholds(campaign, detector), **{k: v for k, v in given.items() if v is not None}}


def narratives_of() -> dict[str, dict[str, tuple[str, ...]]]:
    """Every bundled campaign's narratives, by campaign name (the lexicons the labels stage labels)."""
    return {c.name: c.narratives for c in bundled()}


def bundled_digest() -> str:
    """SHA-256 of every bundled campaign's content (the case-study stage runs their lexicons on every release)."""
    return hashlib.sha256("".join(c.digest() for c in bundled()).encode()).hexdigest()
