"""Who follows what (`Subscriber`, `Follow`), what happened (`Happening`), what each
reader is to be told (`Notice`) and the e-mails that tell them (`Delivery`)."""

from .delivery import Delivery, DeliveryKind, DeliveryState
from .follow import Follow, FollowKind, Listing
from .happening import DetectionMark, Happening, HappeningKind, HappeningTarget
from .invitation import PausedRound
from .notice import Notice, NoticeState
from .subscriber import Cadence, Subscriber

__all__ = [
    "Cadence",
    "Delivery",
    "DeliveryKind",
    "DeliveryState",
    "DetectionMark",
    "Follow",
    "FollowKind",
    "Happening",
    "HappeningKind",
    "HappeningTarget",
    "Listing",
    "Notice",
    "NoticeState",
    "PausedRound",
    "Subscriber",
]
