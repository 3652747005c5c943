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
from .summary import BurdenDay, BurdenMonth, SummarizedMonth

__all__ = [
    "INTERMEDIARY_KINDS",
    "Attendance",
    "BurdenDay",
    "BurdenMonth",
    "Forum",
    "ForumKind",
    "ForumLevel",
    "Meeting",
    "MeetingMode",
    "Seat",
    "SeatDesignation",
    "SeatTerm",
    "SeatTermQuerySet",
    "SummarizedMonth",
]
