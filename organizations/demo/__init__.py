"""The demo catalogue `make run` loads: data files beside `loader.py`, which reads them
through the import and the services."""

from .loader import by_key, demo_keys, load_organizations, names_by_key

__all__ = ["by_key", "demo_keys", "load_organizations", "names_by_key"]
