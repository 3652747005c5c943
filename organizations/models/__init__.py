from .organization import Organization, OrganizationKind, OrganizationQuerySet
from .taxonomy import Region, Sector

__all__ = ["Organization", "OrganizationKind", "OrganizationQuerySet", "Region", "Sector"]
