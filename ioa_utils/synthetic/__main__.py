"""CLI: ``python -m ioa_utils.synthetic --out data/raw/synthetic --seed 2020 --scale 1.0``, or a release at a
target size in the real release's shape: ``... --releases synth_turkey_052020 --tweets 37000000``; China with
its amplifier accounts planted (the real release and the default have none): ``... --china-amplifiers``."""

from __future__ import annotations

import argparse
import time

from ..paths import DEFAULT_RAW_DIR, display
from . import RELEASES, generate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ioa_utils.synthetic", description=__doc__)
    parser.add_argument("--out", default=str(DEFAULT_RAW_DIR), help="output folder (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=2020)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--scale", type=float, default=1.0, help="multiplies account and tweet counts")
    size.add_argument("--tweets", type=int, default=None,
                      help="about this many tweets per release, with the real release's tweets per account")
    parser.add_argument("--releases", nargs="*", choices=list(RELEASES), default=None)
    parser.add_argument("--china-amplifiers", action="store_true",
                        help="plant China's amplifier accounts (the real release, and the default, have none)")
    args = parser.parse_args(argv)
    if args.tweets is not None and args.out == str(DEFAULT_RAW_DIR):
        parser.error("--tweets needs --out: the default folder holds the default archive")
    start = time.perf_counter()
    paths = generate(args.out, seed=args.seed, scale=args.scale, releases=args.releases, tweets=args.tweets,
                     china_amplifiers=args.china_amplifiers)
    for release, files in paths.items():
        print(release)
        for p in files:
            print(f"  {display(p)}  ({p.stat().st_size:,} bytes)")
    print(f"done in {time.perf_counter() - start:.1f}s")


if __name__ == "__main__":
    main()
