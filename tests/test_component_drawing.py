"""Notebook 04's component drawings are the same picture in every process (nbval does not compare images)."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = r"""
import hashlib, io
import matplotlib
matplotlib.use("Agg")
import pandas as pd
from ioa_utils.coordination.plots import draw_components

# a large component and three small ones, ids that hash differently under each PYTHONHASHSEED
edges = [(f"acct{i:03d}", f"acct{(i * 7 + 3) % 40:03d}", 1 + i % 3) for i in range(40)]
edges += [(f"small{k}a", f"small{k}b", 2) for k in range(3)] + [("small0b", "small0c", 1)]
df = pd.DataFrame([(a, b, w) for a, b, w in edges if a != b], columns=["source", "target", "weight"])
ids = pd.unique(df[["source", "target"]].to_numpy().ravel())
role = pd.Series({u: "core" if u.endswith(("1", "a")) else "amplifier" for u in ids})
fig = draw_components(df, role, n=4, seed=2020, title="t")
buf = io.BytesIO()
fig.savefig(buf, format="png", metadata={"Software": None})
print(hashlib.sha256(buf.getvalue()).hexdigest())
"""


def test_component_drawings_do_not_depend_on_the_hash_seed():
    out = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        res = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True)
        out.add(res.stdout.strip())
    assert len(out) == 1, out
