"""One CPU code path on every x86-64 machine, so that results are byte-identical wherever they are rerun.

Four libraries choose machine code by the CPU they find at run time: numba compiles UMAP, pynndescent
and HDBSCAN kernels for the host CPU; numpy dispatches ufuncs and sorts to AVX2/AVX-512 variants;
OpenBLAS picks a kernel per CPU family; Arrow picks SIMD levels for some kernels. The variants round
differently in the last bits, and the topic model turns last-bit differences into different topics
(measured: ``NUMBA_CPU_NAME=generic`` alone, or numpy without AVX2 dispatch alone, moves topic results on
one machine). Each library reads an environment variable once, when it loads, so the pins below must be
in the environment before numpy or numba is imported:

- ``make install`` runs ``python -m ioa_utils.cpu_pin install``, which writes ``ioa_cpu_pin.pth`` into the
  environment's site-packages; Python runs it at every interpreter start (the pipeline, papermill and
  nbval kernels, JupyterLab kernels, tests, benchmarks);
- importing ``ioa_utils`` sets them too (enough when ``ioa_utils`` is imported before numpy) and checks
  the libraries already loaded, raising :class:`CpuPinError` if one runs another code path.

``IOA_CPU_PIN=native`` opts out (faster; results may then differ from the committed outputs).
The pinned paths are the x86-64-v2 baseline that every x86-64 CPU of the last 15 years runs. On other
architectures (ARM) only numba (to its generic target) and OpenBLAS's thread count are pinned: results
are then reproducible between machines of that architecture as far as numpy and OpenBLAS allow, but not
equal to the committed x86-64 outputs (see README, "Reproducibility").
"""

from __future__ import annotations

import os
import platform
import site
import sys
from pathlib import Path

OPT_OUT = "IOA_CPU_PIN"  # set to "native" to leave every library to its host-CPU default
PTH_NAME = "ioa_cpu_pin.pth"

# numba: LLVM's generic target, no optional features (numba's own default for "generic"). OpenBLAS: one
# thread, because how it splits work between threads changes results in the last bits (measured: the topic
# model's SVD embedder differs between 1 and 2 threads), and machines differ in core count.
COMMON_PINS = {"NUMBA_CPU_NAME": "generic", "NUMBA_CPU_FEATURES": "", "OPENBLAS_NUM_THREADS": "1"}
# numpy 2.4 dispatches to these targets above its x86-64-v2 baseline (``__cpu_dispatch__``); disabling a
# target the machine lacks is allowed, so the same list is valid on every x86-64 CPU.
NUMPY_DISPATCH_OFF = ("X86_V3", "X86_V4", "AVX512_ICL", "AVX512_SPR")
OPENBLAS_CORE = "Nehalem"  # SSE4.2 kernels: the x86-64-v2 baseline, present in numpy's and scipy's OpenBLAS
X86_PINS = {
    **COMMON_PINS,
    "NPY_DISABLE_CPU_FEATURES": " ".join(NUMPY_DISPATCH_OFF),
    "OPENBLAS_CORETYPE": OPENBLAS_CORE,
    "ARROW_USER_SIMD_LEVEL": "NONE",
}


class CpuPinError(RuntimeError):
    """A library was loaded with a CPU-dependent code path before the pins could take effect."""


def is_x86_64(machine: str | None = None) -> bool:
    return (machine or platform.machine()).lower() in ("x86_64", "amd64")


def pins(machine: str | None = None) -> dict[str, str]:
    """The environment variables that pin CPU-dependent code paths on this (or the named) architecture."""
    return dict(X86_PINS if is_x86_64(machine) else COMMON_PINS)


def enabled(environ: os._Environ | dict = os.environ) -> bool:
    return environ.get(OPT_OUT, "pinned").lower() != "native"


def apply(environ: os._Environ | dict = os.environ) -> None:
    """Set the pins in ``environ`` (overriding other values) unless the user opted out."""
    if enabled(environ):
        environ.update(pins())


def problems() -> list[str]:
    """What already-loaded libraries run differently from the pins (empty when all is pinned)."""
    if not enabled():
        return []
    found = []
    if "numba" in sys.modules:
        from numba.core import config

        if (config.CPU_NAME, config.CPU_FEATURES) != ("generic", ""):
            config.reload_config()  # numba reads the environment again; code compiled so far is not redone
        if (config.CPU_NAME, config.CPU_FEATURES) != ("generic", ""):
            found.append(f"numba targets {config.CPU_NAME or 'the host CPU'} instead of generic")
    if "numpy" in sys.modules:
        if is_x86_64():
            from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

            active = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
            if active:
                found.append(f"numpy dispatches to {', '.join(active)} (NPY_DISABLE_CPU_FEATURES was not set at "
                             "import)")
        found.extend(_openblas_problems())
    return found


def _openblas_problems() -> list[str]:
    from threadpoolctl import threadpool_info

    found = []
    for lib in threadpool_info():
        if lib.get("internal_api") != "openblas":
            continue
        if is_x86_64() and lib.get("architecture") != OPENBLAS_CORE:
            found.append(f"{lib['filepath']} runs OpenBLAS kernel {lib.get('architecture')} instead of {OPENBLAS_CORE}")
        if lib.get("num_threads") != 1:
            found.append(f"{lib['filepath']} runs OpenBLAS on {lib.get('num_threads')} threads instead of 1")
    return found


def check() -> None:
    """Raise :class:`CpuPinError` naming each library that escaped the pins, and how to fix it."""
    found = problems()
    if found:
        raise CpuPinError(
            "results would depend on this machine's CPU: " + "; ".join(found) + ". These libraries were "
            "loaded before ioa_utils could pin them. Run `make install` (or `python -m ioa_utils.cpu_pin install`) "
            "so every Python of this environment starts pinned, then restart the kernel; or import ioa_utils "
            f"first; or set {OPT_OUT}=native to accept CPU-dependent results.")


def code_path() -> str:
    """A short name of the numeric code path this process runs, for cache keys of float results (an
    embedding cached under one path must not be reused under another)."""
    if enabled():
        return "pinned:" + ",".join(f"{k}={v}" for k, v in sorted(pins().items()))
    return f"native:{platform.machine()}:{state()['host_cpu']}:{os.cpu_count()}"


def state() -> dict:
    """What is pinned in this process and the host it runs on (for the report's manifest)."""
    out: dict = {"pinned": enabled(), "machine": platform.machine(),
                 "environment": {k: os.environ.get(k) for k in X86_PINS}}
    try:
        import llvmlite.binding as llvm

        out["host_cpu"] = llvm.get_host_cpu_name()
    except Exception:  # noqa: BLE001 - informational only
        out["host_cpu"] = None
    return out


def pth_line(machine: str | None = None) -> str:
    """The ``.pth`` line: self-contained (imports only ``os``), so a broken checkout cannot break Python."""
    return f'import os; os.environ.get("{OPT_OUT}", "").lower() == "native" or os.environ.update({pins(machine)!r})\n'


def install(target: str | Path | None = None) -> Path:
    """Write ``ioa_cpu_pin.pth`` into ``target`` (default: this environment's site-packages)."""
    folder = Path(target) if target else Path(site.getsitepackages()[0])
    path = folder / PTH_NAME
    tmp = path.with_name(f".{PTH_NAME}.{os.getpid()}.tmp")
    tmp.write_text(pth_line(), encoding="utf-8")
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["install"]:
        print(f"wrote {install(args[1] if len(args) > 1 else None)}")
        return 0
    if args[:1] == ["check"]:
        import numba  # noqa: F401 - load every pinned library, then inspect it
        import numpy  # noqa: F401
        import scipy.linalg  # noqa: F401

        found = problems()
        print("\n".join(found) or f"pinned: {pins()}")
        return 1 if found else 0
    print("usage: python -m ioa_utils.cpu_pin install [SITE_PACKAGES] | check", file=sys.stderr)
    return 2
