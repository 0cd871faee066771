"""The CPU pin (``ioa_utils/cpu.py``): every Python of the environment starts pinned, and the topics stage
writes the same bytes whatever CPU the environment claims.

Another host CPU cannot be brought to the test machine, but what a host CPU changes can be: the numba
target, numpy's SIMD dispatch and the OpenBLAS kernel are each chosen from an environment variable (or
from the hardware when it is unset). The slow tests run the topics stage in fresh interpreters whose
environment names other CPUs and thread counts, and require identical output files; a control without
the pin shows that the same kind of variation changes the outputs on this data, so the test has power.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ioa_utils import cpu, stages

RELEASE = "synth_russia_052020"  # the fastest default release whose topics move with the CPU path
UNPINNED = {**cpu.X86_PINS, cpu.OPT_OUT: "", "NUMBA_NUM_THREADS": "", "OMP_NUM_THREADS": "",
            "OPENBLAS_NUM_THREADS": ""}

x86_only = pytest.mark.skipif(not cpu.is_x86_64(), reason="the numpy/OpenBLAS pins and named CPUs are x86-64")


def _fresh_env(**extra: str) -> dict[str, str]:
    """This environment as a new shell would have it (no pins, no opt-out), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in UNPINNED}
    env.update(extra)
    return env


def _python(code: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=_fresh_env(**extra), capture_output=True, text=True,
                          timeout=900)


PROBE = """
import json, numba, numpy, scipy.linalg
from numba.core.registry import cpu_target
from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
from threadpoolctl import threadpool_info
cg = cpu_target.target_context.codegen()
print(json.dumps({
    "numba": [cg._get_host_cpu_name(), cg._get_host_cpu_features()],
    "numpy": [f for f in __cpu_dispatch__ if __cpu_features__.get(f)],
    "openblas": sorted({(i.get("architecture"), i.get("num_threads")) for i in threadpool_info()
                        if i.get("internal_api") == "openblas"}),
}))
"""


def test_every_interpreter_of_the_environment_starts_pinned():
    """The ``.pth`` that ``make install`` writes pins a plain ``python`` before anything is imported."""
    site = Path(sys.executable).parent.parent
    assert list(site.glob(f"lib/python*/site-packages/{cpu.PTH_NAME}")), "run `make install` (writes the .pth)"
    state = json.loads(_python(PROBE).stdout)
    assert state["numba"] == ["generic", ""]
    if cpu.is_x86_64():
        assert state["numpy"] == []
        assert state["openblas"] == [[cpu.OPENBLAS_CORE, 1]]


@x86_only
def test_the_pin_wins_over_what_the_environment_claims():
    claimed = _python(PROBE, NUMBA_CPU_NAME="haswell", NPY_DISABLE_CPU_FEATURES="X86_V4",
                      OPENBLAS_CORETYPE="Haswell", OPENBLAS_NUM_THREADS="2")
    assert json.loads(claimed.stdout) == {"numba": ["generic", ""], "numpy": [],
                                          "openblas": [[cpu.OPENBLAS_CORE, 1]]}


@x86_only
def test_opting_out_leaves_the_host_defaults():
    state = json.loads(_python(PROBE, IOA_CPU_PIN="native").stdout)
    assert state["numba"][0] != "generic" and state["numba"][1]  # the host CPU and its features
    assert all(arch != cpu.OPENBLAS_CORE for arch, _ in state["openblas"])


@x86_only
def test_numpy_loaded_unpinned_before_ioa_utils_is_an_error_not_a_silent_difference():
    code = "import numpy, os; os.environ.pop('IOA_CPU_PIN'); import ioa_utils"
    out = _python(code, IOA_CPU_PIN="native")
    assert out.returncode != 0
    assert "CpuPinError" in out.stderr and "numpy dispatches to" in out.stderr and "OpenBLAS kernel" in out.stderr


def test_pth_line_is_self_contained_and_honours_the_opt_out(tmp_path):
    line = cpu.pth_line("x86_64")
    assert line.startswith("import os;") and "ioa_utils" not in line
    for opt_out, expected in (("", cpu.X86_PINS["OPENBLAS_CORETYPE"]), ("native", None)):
        env: dict[str, str] = {"IOA_CPU_PIN": opt_out} if opt_out else {}
        exec(line.replace("os.environ", "env"), {"env": env})  # noqa: S102 - the exact line Python runs
        assert env.get("OPENBLAS_CORETYPE") == expected
    assert cpu.pins("aarch64") == cpu.COMMON_PINS


# --- the topics stage under other CPUs ----------------------------------------------------------------

TOPICS = """
import sys
from ioa_utils import stages, topics
raw, work, release = sys.argv[1:]
stages.prepare(raw, work, releases=[release])
topics.run([release], work_dir=work)
"""


def _topics_outputs(raw: Path, work: Path, **extra: str) -> dict[str, str]:
    """Run the topics stage in a fresh interpreter; SHA-256 of every file it wrote but its cache stamps
    (which record the code version and inputs, not results)."""
    out = subprocess.run([sys.executable, "-c", TOPICS, str(raw), str(work), RELEASE], env=_fresh_env(**extra),
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    base = work / "processed" / RELEASE
    files = [base / "topics.parquet", base / "topic_table.parquet", *sorted((base / "topic_model").rglob("*"))]
    return {p.relative_to(base).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in files if p.is_file() and p.name != "_stage.json"}


# What a host CPU or a user's environment can change, each claimed in turn; the pin must win every time.
CLAIMS = {
    "numba target haswell": {"NUMBA_CPU_NAME": "haswell"},
    "numba target znver2": {"NUMBA_CPU_NAME": "znver2", "NUMBA_CPU_FEATURES": "+avx2,+fma"},
    "numpy without AVX-512 dispatch": {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"},
    "OpenBLAS Haswell kernel": {"OPENBLAS_CORETYPE": "Haswell"},
    "one thread everywhere": {"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"},
    "two threads everywhere": {"NUMBA_NUM_THREADS": "2", "OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2"},
}


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    return stages.ensure_synthetic(tmp_path_factory.mktemp("synthetic"))  # the default archive, in its own folder


# The control runs without the pin: the host's own code paths, and then one variation at a time.
CONTROLS = {
    "host": {"OPENBLAS_NUM_THREADS": "2"},
    "numba target generic": {"OPENBLAS_NUM_THREADS": "2", "NUMBA_CPU_NAME": "generic"},
    "numpy without AVX-512 dispatch": {"OPENBLAS_NUM_THREADS": "2", **CLAIMS["numpy without AVX-512 dispatch"]},
    "OpenBLAS Nehalem kernel": {"OPENBLAS_NUM_THREADS": "2", "OPENBLAS_CORETYPE": "Nehalem"},
    "OpenBLAS on one thread": {"OPENBLAS_NUM_THREADS": "1"},
}


@pytest.fixture(scope="module")
def runs(raw, tmp_path_factory) -> dict[str, dict[str, str]]:
    """Every run of the stage, two at a time (one per core)."""
    jobs = {"pinned host": {}, **{f"pinned, claims {k}": v for k, v in CLAIMS.items()},
            **{f"unpinned {k}": {**v, cpu.OPT_OUT: "native"} for k, v in CONTROLS.items()}}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(_topics_outputs, raw, tmp_path_factory.mktemp("run"), **env)
                   for name, env in jobs.items()}
        return {name: f.result() for name, f in futures.items()}


@pytest.mark.slow
@x86_only
@pytest.mark.parametrize("claim", list(CLAIMS))
def test_topics_are_byte_identical_whatever_cpu_the_environment_claims(claim, runs):
    assert runs["pinned host"], "the topics stage wrote nothing"
    assert runs[f"pinned, claims {claim}"] == runs["pinned host"]


@pytest.mark.slow
@x86_only
@pytest.mark.parametrize("control", [k for k in CONTROLS if k != "host"])
def test_without_the_pin_the_same_variation_changes_the_topics(control, runs):
    """The control: each variation the pin removes changes the written model or topics on this data, so the
    test above can fail."""
    assert runs[f"unpinned {control}"] != runs["unpinned host"]
