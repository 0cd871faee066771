"""The generator's behaviour parameters are its own, not the detectors' thresholds (issue 11): the synthetic package
imports nothing of the coordination or case-study code, its planted delays are log-normal with medians unequal to
any detector window, and a measurable share of each falls outside the window that detects it, so a detector's
recall below 1 is possible."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest

from ioa_utils.casestudy import stance
from ioa_utils.coordination.traces import AMPLIFIER, DEFAULTS, RING
from ioa_utils.synthetic import behaviours, lexicon_common

SYNTHETIC = Path(__file__).resolve().parents[1] / "ioa_utils" / "synthetic"
DETECTOR_VALUES = {float(v) for v in [*DEFAULTS.as_dict().values(), *AMPLIFIER.values(), *RING.values()]
                   if isinstance(v, int | float)}


def test_generator_imports_no_detector_code() -> None:
    for f in SYNTHETIC.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            assert not any(k in n for n in names for k in ("coordination", "casestudy", "findings")), (f, names)


def _share_above(median_sigma: tuple[float, float], x: float) -> float:
    """P(delay > x) for a log-normal with this median and sigma."""
    median, sigma = median_sigma
    return 0.5 * math.erfc(math.log(x / median) / (sigma * math.sqrt(2)))


@pytest.mark.parametrize(("name", "window"), [("CO_TWEET_OFFSET", DEFAULTS.window_tweet),
                                              ("RING_DELAY", DEFAULTS.max_retweet_delay),
                                              ("BURST_OFFSET", DEFAULTS.window_retweet)])
def test_planted_delays_are_not_the_windows_and_some_fall_outside(name: str, window: float, capsys) -> None:
    dist = getattr(behaviours, name)
    assert not set(map(float, dist)) & DETECTOR_VALUES
    outside = _share_above(dist, window)
    with capsys.disabled():
        print(f"\n{name} {dist}: {100 * outside:.1f}% of planted delays beyond the {window:.0f} s window")
    assert 0.05 <= outside <= 0.5  # mostly inside (coordination is fast), not all


def test_opposite_stance_narrative_has_one_name() -> None:
    assert stance.OPPOSITION == lexicon_common.OPPOSITION
    assert lexicon_common.OPPOSITION in behaviours.ORGANIC_TOPIC_MIX[0]
