"""Progress lines from inside long stages, for ``make report`` (:mod:`ioa_utils.pipeline`).

The pipeline names a file in the environment variable :data:`ENV` before it starts the notebooks' kernels;
stages append one tab-separated line per step to it (stage, release, step, seconds since the stage began)
and the pipeline prints them as they come. Without the variable nothing is written anywhere, so notebook
outputs (compared by nbval) do not change.

    with progress.stage("coordination", release) as step:
        ...
        step("co_retweet edges")          # or progress.step(...) from code called inside the stage
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

ENV = "IOA_PROGRESS_FILE"
_current: ContextVar[Callable[[str], None] | None] = ContextVar("ioa_progress_stage", default=None)


def emit(stage: str, release: str, step: str, seconds: float = 0.0) -> None:
    """Append one line to the progress file (no-op unless :data:`ENV` is set). One ``write`` of one line in
    append mode, so lines from concurrent processes do not interleave."""
    path = os.environ.get(ENV)
    if not path:
        return
    clean = (s.replace("\t", " ").replace("\n", " ") for s in (stage, release, step))
    with open(path, "a", encoding="utf-8") as f:
        f.write("\t".join([*clean, f"{seconds:.1f}"]) + "\n")


@contextmanager
def stage(name: str, release: str) -> Iterator[Callable[[str], None]]:
    """Emit ``started`` now, ``done`` (or ``failed``) at the end, and give a ``step(message)`` callable that
    emits ``message`` with the seconds elapsed since the stage began."""
    start = time.perf_counter()

    def step(message: str) -> None:
        emit(name, release, message, time.perf_counter() - start)

    step("started")
    token = _current.set(step)
    try:
        yield step
    except BaseException:
        step("failed")
        raise
    finally:
        _current.reset(token)
    step("done")


def step(message: str) -> None:
    """A step of the innermost running :func:`stage` (no-op outside one): for code deep inside a stage."""
    current = _current.get()
    if current is not None:
        current(message)


def parse(line: str) -> tuple[str, str, str, float] | None:
    """``(stage, release, step, seconds)`` of one progress line (``None`` when it is not one)."""
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 4:
        return None
    try:
        return parts[0], parts[1], parts[2], float(parts[3])
    except ValueError:
        return None
