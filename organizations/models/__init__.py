from .agreement import ServiceAgreement
from .autonomy import AssessmentOutcome, AutonomyAssessment, AutonomyCriterion
from .cooperative import MemberCategory, MemberCategoryKind
from .grants import OrganizationGroupObjectPermission, OrganizationUserObjectPermission
from .membership import CoalitionMembership, MembershipRole
from .organization import (
    CooperativeType,
    Organization,
    OrganizationKind,
    OrganizationQuerySet,
    RecognitionStatus,
)
from .taxonomy import Constituency, FieldOfActivity, Region, RegionKind, Sector

__all__ = [
    "AssessmentOutcome",
    "AutonomyAssessment",
    "AutonomyCriterion",
    "CoalitionMembership",
    "Constituency",
    "CooperativeType",
    "FieldOfActivity",
    "MemberCategory",
    "MemberCategoryKind",
    "MembershipRole",
    "Organization",
    "OrganizationGroupObjectPermission",
    "OrganizationKind",
    "OrganizationQuerySet",
    "OrganizationUserObjectPermission",
    "RecognitionStatus",
    "Region",
    "RegionKind",
    "Sector",
    "ServiceAgreement",
]
