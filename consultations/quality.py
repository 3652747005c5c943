"""Figures on the quality of a consultation process, from the record.

Openness: was the sector given a text before it was fixed? For each version, the days
between the first access by a sector organization (anything but a government body) and
the public release.
"""

from dataclasses import dataclass

from organizations.models import OrganizationKind

from .models import PolicyVersionPage


@dataclass(frozen=True)
class VersionOpenness:
    version: PolicyVersionPage
    # Accesses before the release date, earliest first.
    prior_accesses: list
    # Days the sector had the text before release; None when it had not seen it.
    sector_lead_days: int | None


def version_openness(version: PolicyVersionPage) -> VersionOpenness:
    """Computed from `version.accesses` (prefetch `accesses__recipient` for many)."""
    prior = [a for a in version.accesses.all() if a.days_before_release is not None]
    prior.sort(key=lambda access: access.received_on)
    sector = [a for a in prior if a.recipient.kind != OrganizationKind.GOVERNMENT]
    return VersionOpenness(
        version=version,
        prior_accesses=prior,
        sector_lead_days=sector[0].days_before_release if sector else None,
    )
