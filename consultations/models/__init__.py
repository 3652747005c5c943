from .access import VersionAccess
from .policy import PolicyIndexPage, PolicyPage
from .position import PositionIndexPage, PositionPage
from .response import ResponsePoint
from .round import NEXT_STATES, ConsultationRoundPage, RoundKind, RoundState
from .submission import Publication, Redaction, Submission, SubmissionDocument
from .version import RELEASED_STATUSES, PolicyVersionPage, PolicyVersionQuerySet, VersionStatus

__all__ = [
    "NEXT_STATES",
    "RELEASED_STATUSES",
    "ConsultationRoundPage",
    "PolicyIndexPage",
    "PolicyPage",
    "PolicyVersionPage",
    "PolicyVersionQuerySet",
    "PositionIndexPage",
    "PositionPage",
    "Publication",
    "Redaction",
    "ResponsePoint",
    "RoundKind",
    "RoundState",
    "Submission",
    "SubmissionDocument",
    "VersionAccess",
    "VersionStatus",
]
