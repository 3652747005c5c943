from .access import VersionAccess
from .policy import PolicyIndexPage, PolicyPage
from .round import NEXT_STATES, ConsultationRoundPage, RoundKind, RoundState
from .version import RELEASED_STATUSES, PolicyVersionPage, PolicyVersionQuerySet, VersionStatus

__all__ = [
    "NEXT_STATES",
    "RELEASED_STATUSES",
    "ConsultationRoundPage",
    "PolicyIndexPage",
    "PolicyPage",
    "PolicyVersionPage",
    "PolicyVersionQuerySet",
    "RoundKind",
    "RoundState",
    "VersionAccess",
    "VersionStatus",
]
