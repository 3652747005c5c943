"""The demo fora `make run` loads: `fora.json` beside `loader.py`, which computes the
dates relative to the day of loading and writes the seats through
`consultations.fora.services`."""

from .loader import fora_data, load_fora

__all__ = ["fora_data", "load_fora"]
