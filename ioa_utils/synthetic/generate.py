"""Generating the synthetic releases, streamed unit by unit."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..ground_truth import ACCOUNTS_SUFFIX, TWEETS_SUFFIX
from ..paths import resolve
from .behaviours import Style
from .model import Accounts, Part
from .plans import PLANS, Size, Unit, make_ctx
from .releases import RELEASES, ReleaseSpec
from .shapes import default_size, real_size
from .writer import GroundTruthSink, TweetSink, write_users

ZIP64_SCALE = 10.0  # above this, zip members may pass 4 GiB: write them as zip64 (scale 1: 133k Turkey tweets)
ZIP64_TWEETS = 2_000_000  # the same for ``tweets=`` releases (4 GiB is > 2,000 bytes per tweet)
FAST_ZIP_LEVEL = 1  # deflate level of ``tweets=`` releases (the default archive keeps zlib's default, 6)


def _clean(folder: Path, spec: ReleaseSpec) -> None:
    """Remove files a previous run wrote for this release (shard years can differ between runs)."""
    prefix = spec.tweets_file.split("{")[0].removesuffix(".csv")
    for p in folder.iterdir():
        if p.is_file() and (p.name.startswith(prefix) or p.name == spec.users_file
                            or p.name.endswith((ACCOUNTS_SUFFIX, TWEETS_SUFFIX))):
            p.unlink()


def _plan(spec: ReleaseSpec, seed: int, size: Size,
          china_amplifiers: bool = False) -> tuple[Accounts, Style, list[Unit]]:
    index = list(RELEASES).index(spec.release_id)  # fixed per release, so a subset gives the same bytes
    options = {"amplifiers": china_amplifiers} if spec.key == "china" else {}
    return PLANS[spec.key](seed, size, np.random.default_rng([seed, index, 0]), **options)


def release_size(spec: ReleaseSpec, seed: int, tweets: int, china_amplifiers: bool = False) -> Size:
    """The size of a release of about ``tweets`` tweets in the real release's shape."""
    return real_size(spec.key, tweets,
                     lambda scale: len(_plan(spec, seed, Size(scale=scale), china_amplifiers)[0]))


def generate_release(out_dir: Path, spec: ReleaseSpec, seed: int, size: Size, *, zip64: bool,
                     zip_level: int | None = None, china_amplifiers: bool = False) -> list[Path]:
    index = list(RELEASES).index(spec.release_id)
    accounts, style, units = _plan(spec, seed, size, china_amplifiers)
    ctx = make_ctx(spec.key, accounts)
    folder = out_dir / spec.release_id
    folder.mkdir(parents=True, exist_ok=True)
    _clean(folder, spec)
    users = write_users(folder, spec, accounts)
    tweets = TweetSink(folder, spec, accounts, zip64=zip64, level=zip_level)
    truth = GroundTruthSink(folder, spec.release_id, accounts)
    for k, unit in enumerate(units):
        part: Part = unit(ctx, style, np.random.default_rng([seed, index, 1, k]))
        part = part.take(np.lexsort((part.tid, part.uidx)))  # grouped by account, like the real files
        tweets.write(part)
        truth.write(part)
    return [users, *tweets.close(), *truth.close()]


def generate(out_dir: str | Path, seed: int = 2020, scale: float = 1.0, releases: Iterable[str] | None = None,
             tweets: int | None = None, china_amplifiers: bool = False,
             zip_level: int | None = None) -> dict[str, list[Path]]:
    """Write the synthetic releases under ``out_dir/<release_id>/``; returns the files per release.

    The same arguments give byte-identical files. At ``scale`` 1.0 each release has the real release's tweets
    per campaign account (Turkey ~5,030, Russia ~2,980, China ~15) with few accounts, and at least as many
    organic accounts at their own activity (``shapes.DEFAULT``, table in ``shapes``); ``scale`` multiplies the
    account counts above the group minimums and, below them, the tweets per account. ``tweets`` instead makes
    each release about that many tweets in the real release's shape (accounts and tweets per account, organic
    accounts included), zipped with a faster deflate level; it cannot be combined with ``scale``.
    ``china_amplifiers``: plant China's amplifier accounts (the real release left its ~150,000 out, so the
    default release has none); for exercising the amplifier detector, not the default archive.
    ``zip_level``: deflate level of zipped tweet files (None: zlib's default at ``scale``, ``FAST_ZIP_LEVEL`` with
    ``tweets``); it changes the bytes of the zips, not what they hold.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    if tweets is not None and scale != 1.0:
        raise ValueError("give scale or tweets, not both")
    out = resolve(out_dir)
    chosen = list(RELEASES) if releases is None else list(releases)
    unknown = [r for r in chosen if r not in RELEASES]
    if unknown:
        raise ValueError(f"unknown releases {unknown}; known: {list(RELEASES)}")
    paths = {}
    for r in chosen:
        spec = RELEASES[r]
        if tweets is None:
            paths[r] = generate_release(out, spec, seed, default_size(spec.key, scale), zip64=scale > ZIP64_SCALE,
                                        zip_level=zip_level, china_amplifiers=china_amplifiers)
        else:
            paths[r] = generate_release(out, spec, seed, release_size(spec, seed, tweets, china_amplifiers),
                                        zip64=tweets > ZIP64_TWEETS,
                                        zip_level=FAST_ZIP_LEVEL if zip_level is None else zip_level,
                                        china_amplifiers=china_amplifiers)
    return paths
