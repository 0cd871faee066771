"""``python -m ioa_utils.cpu_pin install|check``: write or check the CPU pins of this environment (see ``cpu``)."""

from .cpu import main

if __name__ == "__main__":
    raise SystemExit(main())
