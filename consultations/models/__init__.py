from .access import VersionAccess
from .cosignature import (
    CoSignatureState,
    PositionCoSignature,
    SubmissionCoSignature,
)
from .forum import (
    INTERMEDIARY_KINDS,
    Forum,
    ForumKind,
    ForumLevel,
    Seat,
    SeatDesignation,
)
from .holding import SeatTerm, SeatTermQuerySet
from .meeting import Attendance, Meeting, MeetingMode
from .policy import PolicyIndexPage, PolicyPage
from .position import PositionIndexPage, PositionPage
from .public_copy import CopyState, PublicCopy
from .response import ResponsePoint
from .round import NEXT_STATES, ConsultationRoundPage, RoundKind, RoundState
from .submission import Publication, Redaction, Submission, SubmissionDocument
from .version import RELEASED_STATUSES, PolicyVersionPage, PolicyVersionQuerySet, VersionStatus

__all__ = [
    "INTERMEDIARY_KINDS",
    "NEXT_STATES",
    "RELEASED_STATUSES",
    "Attendance",
    "CoSignatureState",
    "ConsultationRoundPage",
    "CopyState",
    "Forum",
    "ForumKind",
    "ForumLevel",
    "Meeting",
    "MeetingMode",
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
    "Seat",
    "SeatDesignation",
    "SeatTerm",
    "SeatTermQuerySet",
    "Submission",
    "SubmissionCoSignature",
    "SubmissionDocument",
    "VersionAccess",
    "VersionStatus",
]
