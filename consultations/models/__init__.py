from .access import VersionAccess
from .policy import PolicyIndexPage, PolicyPage
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
    "Publication",
    "Redaction",
    "RoundKind",
    "RoundState",
    "Submission",
    "SubmissionDocument",
    "VersionAccess",
    "VersionStatus",
]
