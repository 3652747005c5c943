"""The demo's funding `make run` loads: data files beside `loader.py`, which reads them
and records the allocations through `organizations.funding.services`."""

from .loader import HEALTH, allocations, check_allocations, load_funding, programmes

__all__ = ["HEALTH", "allocations", "check_allocations", "load_funding", "programmes"]
