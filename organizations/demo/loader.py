"""Load the demo catalogue from the data files beside this module.

The organizations are `organizations.csv`, in the import format of docs/import.md, and
go through the import itself (`organizations.importing`, as `manage.py
import_organizations` and the admin's import screen do): the demo proves the import. What
that format does not carry is written through the ordinary model API and services, so the
search signals see every record and recognition statuses are derived by
`organizations.services.record_assessment` exactly as in the admin:

- `keys.csv`: a short key for each organization (its slug in `organizations.csv`); the
  other files, and the demo files of the other apps, name organizations by these keys;
- `member_categories.csv`: a solidarity co-operative's members by category (their sum is
  its `member_count` in `organizations.csv`);
- `memberships.csv`: coalition memberships (the import carries one per row at most);
- `service_agreements.csv`: public services delivered under agreement;
- `assessments.json`: autonomy reviews, in order (a later review of a criterion
  supersedes an earlier one; both are kept), with the evidence usually filed for a
  criterion met or unknown, and each review's own evidence where it differs.
"""

import csv
import datetime
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from django.db import transaction

from ..importing import import_table, read_table
from ..models import (
    AssessmentOutcome,
    AutonomyCriterion,
    CoalitionMembership,
    MemberCategory,
    Organization,
    OrganizationKind,
    ServiceAgreement,
)
from ..services import record_assessment

DATA = Path(__file__).resolve().parent
CATALOGUE = "organizations.csv"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _date(text: str) -> datetime.date | None:
    """A cell's ISO date; None for an empty cell (no end: current or ongoing)."""
    return datetime.date.fromisoformat(text) if text else None


@cache
def demo_keys() -> dict[str, str]:
    """The demo organizations' keys (what the demo files name them by) → their slugs."""
    return {row["key"]: row["slug"] for row in _rows("keys.csv")}


@cache
def names_by_key() -> dict[str, str]:
    """The demo organizations' keys → their names, as `organizations.csv` gives them."""
    names = {row["slug"]: row["name"] for row in _rows(CATALOGUE)}
    return {key: names[slug] for key, slug in demo_keys().items()}


def by_key(organizations: Iterable[Organization]) -> dict[str, Organization]:
    """The demo organizations among `organizations`, by their keys."""
    by_slug = {organization.slug: organization for organization in organizations}
    return {key: by_slug[slug] for key, slug in demo_keys().items() if slug in by_slug}


def _import_catalogue() -> list[str]:
    """Import `organizations.csv` through the product's import; its slugs, in file order."""
    table = read_table((DATA / CATALOGUE).read_bytes(), CATALOGUE)
    result = import_table(table)
    if not result.ok:
        raise ValueError("Demo data: " + "; ".join(str(error) for error in result.errors))
    return [values["slug"] for _number, values in table.rows]


def _add_member_categories(organizations: dict[str, Organization]) -> None:
    MemberCategory.objects.bulk_create(
        MemberCategory(
            organization=organizations[row["organization"]],
            category=row["category"],
            count=int(row["count"]),
        )
        for row in _rows("member_categories.csv")
    )


def _add_memberships(organizations: dict[str, Organization]) -> None:
    for row in _rows("memberships.csv"):
        coalition = organizations[row["coalition"]]
        if coalition.kind != OrganizationKind.COALITION:
            raise ValueError(f"Demo data: {row['coalition']} is not a coalition.")
        CoalitionMembership.objects.create(
            organization=organizations[row["organization"]],
            coalition=coalition,
            role=row["role"],
            start_date=_date(row["start_date"]),
            end_date=_date(row["end_date"]),
        )


def _add_agreements(organizations: dict[str, Organization]) -> None:
    for row in _rows("service_agreements.csv"):
        government = organizations[row["government_body"]]
        if government.kind != OrganizationKind.GOVERNMENT:
            raise ValueError(f"Demo data: {row['government_body']} is not a government body.")
        ServiceAgreement.objects.create(
            government_body=government,
            provider=organizations[row["provider"]],
            service=row["service"],
            population_served=int(row["population_served"]),
            start_date=_date(row["start_date"]),
            end_date=_date(row["end_date"]),
        )


def _record_reviews(organizations: dict[str, Organization]) -> None:
    assessments = json.loads((DATA / "assessments.json").read_text(encoding="utf-8"))
    usual = assessments["usual_evidence"]
    criteria = {criterion.code: criterion for criterion in AutonomyCriterion.objects.all()}
    for review in assessments["reviews"]:
        own = review.get("evidence", {})
        for code, outcome in review["outcomes"].items():
            if code in own:
                evidence = own[code]
            elif outcome == AssessmentOutcome.MET:
                evidence = usual["met"][code]
            elif outcome == AssessmentOutcome.UNKNOWN:
                evidence = usual["unknown"]
            else:
                raise ValueError(
                    f"Demo data: {review['organization']}/{code} not met, no evidence."
                )
            record_assessment(
                organizations[review["organization"]],
                criteria[code],
                AssessmentOutcome(outcome),
                assessed_on=_date(review["assessed_on"]),
                evidence=evidence,
            )


@transaction.atomic
def load_organizations() -> list[Organization]:
    """Create the demo catalogue, in the order of `organizations.csv`; the seeded
    taxonomies and criteria must be there (migrations)."""
    slugs = _import_catalogue()
    imported = Organization.objects.in_bulk(slugs, field_name="slug")
    organizations = by_key(imported.values())
    _add_member_categories(organizations)
    _add_memberships(organizations)
    _add_agreements(organizations)
    _record_reviews(organizations)
    fresh = Organization.objects.in_bulk(slugs, field_name="slug")
    return [fresh[slug] for slug in slugs]
