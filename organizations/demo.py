"""Demo organizations drawn from the domain: Quebec's community sector, co-operatives
delivering public services, coalitions and the government bodies they deal with.

The data are the tables of `organizations.demo_data`; this module writes them through
the ordinary model API (so the search signals see every record) and records autonomy
assessments through `organizations.services.record_assessment`, so recognition
statuses are derived exactly as in the admin.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from .demo_data import (
    EVIDENCE_MET,
    EVIDENCE_UNKNOWN,
    MEMBERSHIPS,
    ORGANIZATIONS,
    REVIEWS,
    SERVICE_AGREEMENTS,
    Org,
)
from .models import (
    AssessmentOutcome,
    AutonomyCriterion,
    CoalitionMembership,
    Constituency,
    FieldOfActivity,
    MemberCategory,
    MemberCategoryKind,
    Organization,
    OrganizationKind,
    Region,
    Sector,
    ServiceAgreement,
)
from .services import record_assessment


@dataclass(frozen=True)
class _Terms:
    """The seeded taxonomies and criteria, by code."""

    regions: dict[str, Region]
    sectors: dict[str, Sector]
    constituencies: dict[str, Constituency]
    fields: dict[str, FieldOfActivity]
    criteria: dict[str, AutonomyCriterion]

    @classmethod
    def load(cls) -> "_Terms":
        def by_code(model):
            return {term.code: term for term in model.objects.all()}

        return cls(
            regions=by_code(Region),
            sectors=by_code(Sector),
            constituencies=by_code(Constituency),
            fields=by_code(FieldOfActivity),
            criteria=by_code(AutonomyCriterion),
        )


def _amount(value: float | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _create(spec: Org, terms: _Terms) -> Organization:
    incorporation = spec.incorporation
    members = spec.members
    if spec.member_categories is not None:
        members = sum(spec.member_categories)
    organization = Organization.objects.create(
        name=spec.name,
        legal_name=spec.legal_name,
        slug=slugify(spec.name),
        kind=spec.kind,
        cooperative_type=spec.cooperative_type,
        incorporation_act=incorporation.act if incorporation else "",
        incorporation_jurisdiction=(
            terms.regions[incorporation.jurisdiction] if incorporation else None
        ),
        incorporation_date=incorporation.on if incorporation else None,
        has_share_capital=incorporation.share_capital if incorporation else None,
        founded_year=spec.founded,
        region=terms.regions[spec.region],
        staff_fte=_amount(spec.staff),
        member_count=members,
        share_capital=_amount(spec.share_capital),
        gross_revenue=_amount(spec.gross_revenue),
        assets=_amount(spec.assets),
        serves_in_french=spec.french,
        serves_in_english=spec.english,
        other_languages=spec.other_languages,
        summary_en=spec.summary_en,
        summary_fr=spec.summary_fr,
    )
    organization.regions_served.set(
        [terms.regions[code] for code in spec.regions_served or (spec.region,)]
    )
    organization.sectors.set([terms.sectors[code] for code in spec.sectors])
    organization.constituencies.set([terms.constituencies[code] for code in spec.constituencies])
    organization.fields_of_activity.set([terms.fields[code] for code in spec.fields])
    if spec.member_categories is not None:
        worker, user, supporting = spec.member_categories
        MemberCategory.objects.bulk_create(
            MemberCategory(organization=organization, category=category, count=count)
            for category, count in (
                (MemberCategoryKind.WORKER, worker),
                (MemberCategoryKind.USER, user),
                (MemberCategoryKind.SUPPORTING, supporting),
            )
        )
    return organization


def _add_memberships(organizations: dict[str, Organization]) -> None:
    for member, coalition, role, start, end in MEMBERSHIPS:
        if organizations[coalition].kind != OrganizationKind.COALITION:
            raise ValueError(f"Demo data: {coalition} is not a coalition.")
        CoalitionMembership.objects.create(
            organization=organizations[member],
            coalition=organizations[coalition],
            role=role,
            start_date=start,
            end_date=end,
        )


def _add_agreements(organizations: dict[str, Organization]) -> None:
    for government, provider, service, population, start, end in SERVICE_AGREEMENTS:
        if organizations[government].kind != OrganizationKind.GOVERNMENT:
            raise ValueError(f"Demo data: {government} is not a government body.")
        ServiceAgreement.objects.create(
            government_body=organizations[government],
            provider=organizations[provider],
            service=service,
            population_served=population,
            start_date=start,
            end_date=end,
        )


def _record_reviews(organizations: dict[str, Organization], terms: _Terms) -> None:
    for review in REVIEWS:
        organization = organizations[review.organization]
        for code, outcome in review.outcomes.items():
            if code in review.evidence:
                evidence = review.evidence[code]
            elif outcome == AssessmentOutcome.MET:
                evidence = EVIDENCE_MET[code]
            elif outcome == AssessmentOutcome.UNKNOWN:
                evidence = EVIDENCE_UNKNOWN
            else:
                raise ValueError(f"Demo data: {review.organization}/{code} not met, no evidence.")
            record_assessment(
                organization,
                terms.criteria[code],
                AssessmentOutcome(outcome),
                assessed_on=review.assessed_on,
                evidence=evidence,
            )


@transaction.atomic
def load_organizations() -> list[Organization]:
    """Create the demo catalogue; the seeded taxonomies must be there (migrations)."""
    terms = _Terms.load()
    organizations = {spec.key: _create(spec, terms) for spec in ORGANIZATIONS}
    _add_memberships(organizations)
    _add_agreements(organizations)
    _record_reviews(organizations, terms)
    return list(organizations.values())
