from .agreement import ServiceAgreement
from .autonomy import AssessmentOutcome, AutonomyAssessment, AutonomyCriterion
from .cooperative import MemberCategory, MemberCategoryKind
from .funding import (
    COMMITTED_STATUSES,
    Allocation,
    AllocationQuerySet,
    AllocationStatus,
    FundingMode,
    MoneyOrigin,
    Programme,
    ProgrammeBudget,
    ServiceLoad,
    fiscal_year_label,
)
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
    "COMMITTED_STATUSES",
    "Allocation",
    "AllocationQuerySet",
    "AllocationStatus",
    "AssessmentOutcome",
    "AutonomyAssessment",
    "AutonomyCriterion",
    "CoalitionMembership",
    "Constituency",
    "CooperativeType",
    "FieldOfActivity",
    "FundingMode",
    "MemberCategory",
    "MemberCategoryKind",
    "MembershipRole",
    "MoneyOrigin",
    "Organization",
    "OrganizationKind",
    "OrganizationQuerySet",
    "Programme",
    "ProgrammeBudget",
    "RecognitionStatus",
    "Region",
    "RegionKind",
    "Sector",
    "ServiceAgreement",
    "ServiceLoad",
    "fiscal_year_label",
]
