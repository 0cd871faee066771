"""Shared code of ioa-notebooks. Importing it pins CPU-dependent code paths first (see ``cpu``)."""

from . import cpu as _cpu

_cpu.apply()
_cpu.check()
