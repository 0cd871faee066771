"""Generating the synthetic releases, streamed unit by unit."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..ground_truth import ACCOUNTS_SUFFIX, TWEETS_SUFFIX
from ..paths import resolve
from .model import Part
from .plans import PLANS, make_ctx
from .releases import RELEASES, ReleaseSpec
from .writer import GroundTruthSink, TweetSink, write_users

ZIP64_SCALE = 50.0  # above this, zip members may pass 4 GiB: write them as zip64


def _clean(folder: Path, spec: ReleaseSpec) -> None:
    """Remove files a previous run wrote for this release (shard years can differ between runs)."""
    prefix = spec.tweets_file.split("{")[0].removesuffix(".csv")
    for p in folder.iterdir():
        if p.is_file() and (p.name.startswith(prefix) or p.name == spec.users_file
                            or p.name.endswith((ACCOUNTS_SUFFIX, TWEETS_SUFFIX))):
            p.unlink()


def generate_release(out_dir: Path, spec: ReleaseSpec, seed: int, scale: float) -> list[Path]:
    index = list(RELEASES).index(spec.release_id)  # fixed per release, so a subset gives the same bytes
    accounts, style, units = PLANS[spec.key](seed, scale, np.random.default_rng([seed, index, 0]))
    ctx = make_ctx(spec.key, accounts)
    folder = out_dir / spec.release_id
    folder.mkdir(parents=True, exist_ok=True)
    _clean(folder, spec)
    users = write_users(folder, spec, accounts)
    tweets = TweetSink(folder, spec, accounts, zip64=scale > ZIP64_SCALE)
    truth = GroundTruthSink(folder, spec.release_id, accounts)
    for k, unit in enumerate(units):
        part: Part = unit(ctx, style, np.random.default_rng([seed, index, 1, k]))
        part = part.take(np.lexsort((part.tid, part.uidx)))  # grouped by account, like the real files
        tweets.write(part)
        truth.write(part)
    return [users, *tweets.close(), *truth.close()]


def generate(out_dir: str | Path, seed: int = 2020, scale: float = 1.0,
             releases: Iterable[str] | None = None) -> dict[str, list[Path]]:
    """Write the synthetic releases under ``out_dir/<release_id>/``; returns the files per release.

    The same ``seed`` and ``scale`` give byte-identical files. ``scale`` multiplies account counts (and so
    tweet counts): 1.0 is about 40k tweets in total.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    out = resolve(out_dir)
    chosen = list(RELEASES) if releases is None else list(releases)
    unknown = [r for r in chosen if r not in RELEASES]
    if unknown:
        raise ValueError(f"unknown releases {unknown}; known: {list(RELEASES)}")
    return {r: generate_release(out, RELEASES[r], seed, scale) for r in chosen}
