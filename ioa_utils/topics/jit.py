"""UMAP's numba kernels compiled once per environment, not once per process.

UMAP and pynndescent decorate most of their numba functions without ``cache=True``, so every new Python process
spent about 17 s compiling them before its first fit (notebook 03, each model seed of 09, every test process).
:func:`enable` turns numba's on-disk cache on for every such function before anything is compiled. numba keys
each cached entry by the function's source file, its signature and the target CPU, which
:mod:`ioa_utils.cpu_pin` fixes to ``generic``: a cached kernel is the same machine code a fresh compilation
produces, so results do not change. The cache lives beside the packages' sources (``__pycache__`` in the
environment, or ``NUMBA_CACHE_DIR``) and numba writes it atomically, so processes may fill it concurrently.

``python -m ioa_utils.topics.jit`` (run by ``make install``) fills it with :func:`.model.warmup` (the path of
fitting sets under :data:`.reduce.SMALL_DATA` texts, the default's; pynndescent's larger path builds its kernels
in closures, which numba cannot cache).
"""

from __future__ import annotations

import sys
from functools import cache

PACKAGES = ("umap", "pynndescent")  # whose numba functions are cached


@cache
def enable() -> int:
    """Turn numba's disk cache on for every uncached numba function of :data:`PACKAGES` (importing UMAP);
    the number of functions. Runs once per process."""
    import umap  # noqa: F401  (imports its submodules and pynndescent's)
    from numba.core.caching import NullCache
    from numba.core.dispatcher import Dispatcher

    n = 0
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in PACKAGES:
            continue
        for obj in list(vars(module).values()):
            if isinstance(obj, Dispatcher) and isinstance(obj._cache, NullCache):
                obj.enable_caching()
                n += 1
    return n


if __name__ == "__main__":
    from ioa_utils.topics.jit import enable as enable_here  # the module the package uses, not ``__main__``
    from ioa_utils.topics.model import warmup

    warmup()
    print(f"numba cache on for {enable_here()} functions of {', '.join(PACKAGES)}")
