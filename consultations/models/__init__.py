from .access import VersionAccess
from .cosignature import (
    CoSignatureState,
    PositionCoSignature,
    SubmissionCoSignature,
)
from .policy import PolicyIndexPage, PolicyPage
from .position import PositionIndexPage, PositionPage
from .public_copy import CopyState, PublicCopy
from .response import ResponsePoint
from .round import NEXT_STATES, ConsultationRoundPage, RoundKind, RoundState
from .round_history import RoundStateChange
from .submission import Publication, Redaction, Submission, SubmissionDocument
from .version import RELEASED_STATUSES, PolicyVersionPage, PolicyVersionQuerySet, VersionStatus

__all__ = [
    "NEXT_STATES",
    "RELEASED_STATUSES",
    "CoSignatureState",
    "ConsultationRoundPage",
    "CopyState",
    "PolicyIndexPage",
    "PolicyPage",
    "PolicyVersionPage",
    "PolicyVersionQuerySet",
    "PositionCoSignature",
    "PositionIndexPage",
    "PositionPage",
    "PublicCopy",
    "Publication",
    "Redaction",
    "ResponsePoint",
    "RoundKind",
    "RoundState",
    "RoundStateChange",
    "Submission",
    "SubmissionCoSignature",
    "SubmissionDocument",
    "VersionAccess",
    "VersionStatus",
]
