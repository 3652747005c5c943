"""The demo story `make run` loads: the policy on community action, its versions, rounds,
briefs, report, response and positions, as data files beside `loader.py` and
`positions.py`, which write them through the ordinary page API and the services."""

from .loader import load_policy_story
from .positions import load_positions

__all__ = ["load_policy_story", "load_positions"]
