from .access import VersionAccess
from .policy import PolicyIndexPage, PolicyPage
from .version import RELEASED_STATUSES, PolicyVersionPage, PolicyVersionQuerySet, VersionStatus

__all__ = [
    "RELEASED_STATUSES",
    "PolicyIndexPage",
    "PolicyPage",
    "PolicyVersionPage",
    "PolicyVersionQuerySet",
    "VersionAccess",
    "VersionStatus",
]
