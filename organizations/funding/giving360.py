"""Published allocations as open data in the 360Giving Data Standard (version 1.4).

360Giving is the standard grant-makers use to publish who they fund, how much and when,
so that funding can be added up across funders. An allocation becomes one grant; a
package wraps the grants with who published them and under which licence. Only
published allocations are ever exported, whoever asks: approved allocations are not
public yet and drafts are not money yet. `for_export` filters them again, so a caller
passing any queryset of allocations cannot leak one.

Identifiers follow the standard's guidance: the grant is the publisher's prefix
(`settings.GIVING360_PREFIX`) and the allocation's number; organizations have no
official registration number in the archive, so they get the prefix and their number
too (numbers, not slugs: a slug can be edited, an identifier must not change).

What 360Giving has no field for — the fiscal year, the funding mode, whether the money
is new or reallocated and from which programme or sub-sector — goes into
`classifications`, each under a vocabulary named with the same prefix. The standard's
schemas are in `organizations/standards/360giving/`; the tests validate against them.
"""

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from organizations.models import Organization

from .models import Allocation, AllocationQuerySet, FundingMode, MoneyOrigin, fiscal_year_label

SCHEMA_VERSION = "1.4"
CURRENCY = "CAD"
# A fiscal year starts on April 1 of the calendar year it is named by.
FISCAL_YEAR_START = (4, 1)

Grant = dict[str, Any]


@dataclass(frozen=True)
class Publisher:
    """Who publishes the package: the site, by default (see `default_publisher`)."""

    name: str
    identifier: str = ""
    website: str = ""


def default_publisher(website: str = "") -> Publisher:
    return Publisher(
        name=settings.WAGTAIL_SITE_NAME,
        identifier=f"{identifier_prefix()}-publisher",
        website=website,
    )


def identifier_prefix() -> str:
    return settings.GIVING360_PREFIX


def grant_identifier(allocation: Allocation, prefix: str) -> str:
    return f"{prefix}-allocation-{allocation.pk}"


def organization_identifier(organization: Organization, prefix: str) -> str:
    return f"{prefix}-org-{organization.pk}"


def fiscal_year_start(year: int) -> datetime.date:
    return datetime.date(year, *FISCAL_YEAR_START)


def for_export(allocations: AllocationQuerySet) -> AllocationQuerySet:
    """The published ones among `allocations`, with what a grant shows, in a stable
    order."""
    return (
        allocations.published()
        .select_related(
            "organization",
            "programme__funder",
            "reallocated_from_programme",
            "reallocated_from_sector",
        )
        .order_by("fiscal_year", "programme__slug", "organization__name", "pk")
    )


def _number(amount: Decimal) -> int | float:
    """JSON numbers: whole amounts as integers, cents as decimals."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _description(allocation: Allocation) -> str:
    facts = {
        "mode": allocation.get_mode_display(),
        "funder": allocation.programme.funder.name,
        "organization": allocation.organization.name,
        "programme": allocation.programme.name,
        "year": fiscal_year_label(allocation.fiscal_year),
    }
    awarded = (
        _(
            "%(mode)s from %(funder)s to %(organization)s under the programme "
            "%(programme)s, fiscal year %(year)s."
        )
        % facts
    )
    if allocation.origin == MoneyOrigin.NEW:
        return f"{awarded} {_('New money.')}"
    source = allocation.reallocated_from_programme
    sector = allocation.reallocated_from_sector
    if source and sector:
        origin = _(
            "Money reallocated from the programme %(source)s and the sub-sector %(sector)s."
        ) % {"source": source.name, "sector": sector.name}
    elif source:
        origin = _("Money reallocated from the programme %(source)s.") % {"source": source.name}
    else:
        origin = _("Money reallocated from the sub-sector %(sector)s.") % {"sector": sector.name}
    return f"{awarded} {origin}"


def _classification(prefix: str, vocabulary: str, code: str, title: str) -> dict[str, str]:
    return {"vocabulary": f"{prefix}-{vocabulary}", "code": code, "title": title}


def _classifications(allocation: Allocation, prefix: str) -> list[dict[str, str]]:
    classifications = [
        _classification(
            prefix,
            "fiscal-year",
            str(allocation.fiscal_year),
            fiscal_year_label(allocation.fiscal_year),
        ),
        _classification(
            prefix, "funding-mode", allocation.mode, str(FundingMode(allocation.mode).label)
        ),
        _classification(
            prefix, "money-origin", allocation.origin, str(MoneyOrigin(allocation.origin).label)
        ),
    ]
    if allocation.reallocated_from_programme:
        programme = allocation.reallocated_from_programme
        classifications.append(
            _classification(prefix, "reallocated-from-programme", programme.slug, programme.name)
        )
    if allocation.reallocated_from_sector:
        sector = allocation.reallocated_from_sector
        classifications.append(
            _classification(prefix, "reallocated-from-sector", sector.code, sector.name)
        )
    return classifications


def grant(allocation: Allocation, prefix: str) -> Grant:
    """One allocation as a 360Giving grant. Titles and descriptions are written in the
    active language."""
    organization = allocation.organization
    programme = allocation.programme
    funder = programme.funder
    starts = fiscal_year_start(allocation.fiscal_year)
    data: Grant = {
        "id": grant_identifier(allocation, prefix),
        "title": _("%(programme)s %(year)s: %(organization)s")
        % {
            "programme": programme.name,
            "year": fiscal_year_label(allocation.fiscal_year),
            "organization": organization.name,
        },
        "description": _description(allocation),
        "currency": CURRENCY,
        "amountAwarded": _number(allocation.amount),
        # The archive does not record when the decision was made: the allocation's
        # start, or else the start of its fiscal year, stands for it.
        "awardDate": (allocation.starts_on or starts).isoformat(),
        "recipientOrganization": [
            {"id": organization_identifier(organization, prefix), "name": organization.name}
        ],
        "fundingOrganization": [
            {"id": organization_identifier(funder, prefix), "name": funder.name}
        ],
        "grantProgramme": [{"code": programme.slug, "title": programme.name}],
        "classifications": _classifications(allocation, prefix),
    }
    if allocation.starts_on or allocation.ends_on:
        # The standard wants a start date on every event.
        planned = {"startDate": (allocation.starts_on or starts).isoformat()}
        if allocation.ends_on:
            planned["endDate"] = allocation.ends_on.isoformat()
        data["plannedDates"] = [planned]
    return data


def package_metadata(
    *,
    publisher: Publisher,
    prefix: str,
    issued: datetime.date | None = None,
    download_url: str = "",
    access_url: str = "",
) -> dict[str, Any]:
    """Everything in a package but its grants."""
    publisher_data = {"name": publisher.name}
    if publisher.identifier:
        publisher_data["identifier"] = publisher.identifier
    if publisher.website:
        publisher_data["website"] = publisher.website
    metadata: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "identifier": f"{prefix}-allocations",
        "title": _("Published funding allocations: %(publisher)s") % {"publisher": publisher.name},
        "description": _(
            "Funding allocated by government programmes to community organizations, as "
            "published in the archive. Each grant's classifications give its fiscal year, "
            "its funding mode and whether the money is new or reallocated, and from where."
        ),
        "publisher": publisher_data,
        "issued": (issued or datetime.date.today()).isoformat(),
    }
    if settings.GIVING360_LICENSE:
        metadata["license"] = settings.GIVING360_LICENSE
    if download_url:
        metadata["downloadURL"] = download_url
    if access_url:
        metadata["accessURL"] = access_url
    return metadata


def grants_package(
    allocations: AllocationQuerySet,
    *,
    publisher: Publisher,
    issued: datetime.date | None = None,
    download_url: str = "",
    access_url: str = "",
) -> dict[str, Any]:
    """A 360Giving package of the published allocations among `allocations`.

    With none, `grants` is an empty list: the standard's package schema asks for at
    least one grant, so an empty package is well formed but not valid — a reader sees
    that nothing is published rather than an error page."""
    prefix = identifier_prefix()
    return {
        **package_metadata(
            publisher=publisher,
            prefix=prefix,
            issued=issued,
            download_url=download_url,
            access_url=access_url,
        ),
        "grants": [grant(allocation, prefix) for allocation in for_export(allocations)],
    }


def stream_package(
    allocations: AllocationQuerySet,
    *,
    publisher: Publisher,
    issued: datetime.date | None = None,
    download_url: str = "",
    access_url: str = "",
    chunk_size: int = 500,
) -> Iterator[str]:
    """`grants_package` as JSON text, a grant at a time, so that a large archive is
    never held in memory whole. Parsed, it equals `grants_package`."""
    prefix = identifier_prefix()
    head = json.dumps(
        package_metadata(
            publisher=publisher,
            prefix=prefix,
            issued=issued,
            download_url=download_url,
            access_url=access_url,
        ),
        ensure_ascii=False,
    )
    yield head[:-1] + ', "grants": ['
    grants = for_export(allocations).iterator(chunk_size=chunk_size)
    for index, allocation in enumerate(grants):
        separator = ", " if index else ""
        yield separator + json.dumps(grant(allocation, prefix), ensure_ascii=False)
    yield "]}"
