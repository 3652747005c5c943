"""Generate a large synthetic catalogue for benchmarks:
`manage.py generate_demo --organizations 10000 [--seed 1] [--batch-size 1000] [--no-progress]`.

Built on the factories (`concertation.factories`), the tests' description of a plausible
organization: each organization and its dependent rows are built unsaved
(`Factory.build()`), and what ties the catalogue together (which organizations are
coalitions, who joins which, who contracts with which government body) is decided here.
Fast by construction: every table is written with one `bulk_create` per batch of
organizations, so a run takes a number of queries proportional to N / batch size, never
to N, in one transaction. Random but deterministic: the factories' generator is seeded
with `factory.random.reseed_random(seed)` (and put back afterwards) and this command
draws from its own `random.Random(seed)`, so the same seed and size give the same
catalogue, whatever the batch size (each organization only links to coalitions and
government bodies generated before it). Names and slugs carry a run number, so the
command can run again on the same database. Bulk writes bypass the search signals: the
index is filled afterwards with `manage.py search_index rebuild`.
"""

import random
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import factory.random
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max

from concertation.factories import (
    SLUG_PREFIX,
    AutonomyAssessmentFactory,
    CoalitionMembershipFactory,
    MemberCategoryFactory,
    PlausibleOrganizationFactory,
    ServiceAgreementFactory,
)
from concertation.organization_profiles import (
    PLACES,
    PROFILES,
    SOLIDARITY_CATEGORY_SIZES,
    WEIGHTS,
    Profile,
)
from concertation.progress import progress_bar
from organizations.autonomy import derive_recognition_status
from organizations.models import (
    AssessmentOutcome,
    AutonomyAssessment,
    AutonomyCriterion,
    CoalitionMembership,
    Constituency,
    CooperativeType,
    FieldOfActivity,
    MemberCategory,
    MemberCategoryKind,
    Organization,
    OrganizationKind,
    RecognitionStatus,
    Region,
    Sector,
    ServiceAgreement,
)

K = OrganizationKind

# The first organizations of every run, so that even a small run has every kind of row.
FIRST_PROFILES = [
    next(p for p in PROFILES if p.kind == K.COALITION),
    next(p for p in PROFILES if p.kind == K.GOVERNMENT),
    next(p for p in PROFILES if p.cooperative_type == CooperativeType.SOLIDARITY),
    next(p for p in PROFILES if p.kind == K.AUTONOMOUS_COMMUNITY),
]
M2M_FIELDS = ("regions_served", "sectors", "constituencies", "fields_of_activity")


@dataclass
class _Planned:
    """One organization and its dependent rows, built but not saved: the dependent rows
    point at the organization object and take its primary key when written."""

    organization: Organization
    links: dict[str, list[int]]  # many-to-many field name → term ids
    member_categories: list[MemberCategory] = field(default_factory=list)
    memberships: list[CoalitionMembership] = field(default_factory=list)
    agreements: list[ServiceAgreement] = field(default_factory=list)
    assessments: list[AutonomyAssessment] = field(default_factory=list)


class _Pool:
    """Organizations that others link to (coalitions, government bodies), by region."""

    def __init__(self) -> None:
        self.everywhere: list[Organization] = []
        self.by_region: dict[str, list[Organization]] = {}

    def __bool__(self) -> bool:
        return bool(self.everywhere)

    def add(self, organization: Organization, region: str) -> None:
        self.everywhere.append(organization)
        self.by_region.setdefault(region, []).append(organization)

    def pick(self, rng: random.Random, region: str) -> Organization:
        """Rather one of the same region, otherwise any."""
        nearby = self.by_region.get(region)
        if nearby and rng.random() < 0.7:
            return rng.choice(nearby)
        return rng.choice(self.everywhere)


@contextmanager
def seeded_factories(seed: int) -> Iterator[None]:
    """The factories' random generator seeded for the run, and put back afterwards so
    that the caller's own draws (a test's, a benchmark's) do not depend on the run."""
    state = factory.random.get_random_state()
    factory.random.reseed_random(seed)
    try:
        yield
    finally:
        factory.random.set_random_state(state)


class Generator:
    """Plans organizations one by one, with the factories and a seeded random generator;
    `write` stores a batch of plans with one bulk insert per table."""

    def __init__(self, seed: int, run: int) -> None:
        self.rng = random.Random(seed)
        self.run = run
        self.regions = Region.objects.in_bulk(field_name="code")
        self.sectors = dict(Sector.objects.values_list("code", "pk"))
        self.constituencies = dict(Constituency.objects.values_list("code", "pk"))
        self.fields = dict(FieldOfActivity.objects.values_list("code", "pk"))
        self.criteria = list(AutonomyCriterion.objects.order_by("pk"))
        self.criterion_ids = [criterion.pk for criterion in self.criteria]
        self.quebec_regions = sorted(code for code in self.regions if code.startswith("qc-"))
        # The coalitions and government bodies planned so far.
        self.coalitions = _Pool()
        self.governments = _Pool()
        self.counts: Counter[str] = Counter()

    def plan(self, index: int) -> _Planned:
        rng = self.rng
        first = index < len(FIRST_PROFILES)  # always with every kind of dependent row
        profile = FIRST_PROFILES[index] if first else rng.choices(PROFILES, WEIGHTS)[0]
        place = rng.choice(PLACES)
        region = place[1]
        categories = self._member_categories(profile)
        counted = {"member_count": sum(c.count for c in categories)} if categories else {}
        organization = PlausibleOrganizationFactory.build(
            profile=profile,
            place=place,
            regions=self.regions,
            run=self.run,
            number=index + 1,
            **counted,
        )
        for category in categories:
            category.organization = organization
        planned = _Planned(organization, self._links(profile, region), categories)
        if profile.service and self.governments and (rng.random() < 0.6 or first):
            service, low, high = profile.service
            planned.agreements.append(
                ServiceAgreementFactory.build(
                    provider=organization,
                    government_body=self.governments.pick(rng, region),
                    service=service,
                    populations=(low, high),
                )
            )
        if profile.kind in (K.AUTONOMOUS_COMMUNITY, K.ADVOCACY) and (rng.random() < 0.45 or first):
            self._assess(planned)
        if profile.kind != K.GOVERNMENT:
            self._join_coalitions(planned, region, first)
        if profile.kind == K.COALITION:
            self.coalitions.add(organization, region)
        elif profile.kind == K.GOVERNMENT:
            self.governments.add(organization, region)
        self.counts[profile.kind] += 1
        return planned

    @staticmethod
    def _member_categories(profile: Profile) -> list[MemberCategory]:
        """A solidarity co-operative's members, counted by category (its users within the
        profile's members); none for another organization."""
        if profile.cooperative_type != CooperativeType.SOLIDARITY:
            return []
        sizes = {MemberCategoryKind.USER: profile.members, **SOLIDARITY_CATEGORY_SIZES}
        return [
            MemberCategoryFactory.build(organization=None, category=category, sizes=sizes[category])
            for category in (
                MemberCategoryKind.WORKER,
                MemberCategoryKind.USER,
                MemberCategoryKind.SUPPORTING,
            )
        ]

    def _links(self, profile: Profile, region: str) -> dict[str, list[int]]:
        rng = self.rng
        served = {region}
        if region.startswith("qc-"):
            served.update(rng.sample(self.quebec_regions, rng.choice((0, 0, 1, 2))))
        sectors = set(profile.sectors)
        if rng.random() < 0.1:
            sectors.add(rng.choice(sorted(self.sectors)))
        constituencies = rng.sample(
            profile.constituencies, rng.randint(0, len(profile.constituencies))
        )
        fields = rng.sample(profile.fields, rng.randint(1, len(profile.fields)))
        return {
            "regions_served": [self.regions[code].pk for code in sorted(served)],
            "sectors": [self.sectors[code] for code in sorted(sectors)],
            "constituencies": [
                self.constituencies[code] for code in constituencies or profile.constituencies[:1]
            ],
            "fields_of_activity": [self.fields[code] for code in fields],
        }

    def _assess(self, planned: _Planned) -> None:
        """One assessment session: recognized, one criterion not met, or some criteria
        assessed and some unknown; the stored status follows from it."""
        rng = self.rng
        scenario = rng.random()
        if scenario < 0.55:  # recognized
            outcomes = dict.fromkeys(self.criteria, AssessmentOutcome.MET)
        elif scenario < 0.7:  # one criterion not met
            outcomes = dict.fromkeys(self.criteria, AssessmentOutcome.MET)
            outcomes[rng.choice(self.criteria)] = AssessmentOutcome.NOT_MET
        else:  # some criteria assessed, some unknown
            chosen = rng.sample(self.criteria, rng.randint(2, len(self.criteria) - 1))
            outcomes = {
                criterion: rng.choice((AssessmentOutcome.MET, AssessmentOutcome.UNKNOWN))
                for criterion in sorted(chosen, key=lambda criterion: criterion.pk)
            }
        assessments: list[AutonomyAssessment] = []
        for criterion, outcome in outcomes.items():
            same_day = {"assessed_on": assessments[0].assessed_on} if assessments else {}
            assessments.append(
                AutonomyAssessmentFactory.build(
                    organization=planned.organization,
                    criterion=criterion,
                    outcome=outcome,
                    **same_day,
                )
            )
        planned.assessments = assessments
        planned.organization.recognition_status = derive_recognition_status(
            assessments, self.criterion_ids
        )

    def _join_coalitions(self, planned: _Planned, region: str, first: bool) -> None:
        rng = self.rng
        wanted = rng.choices((0, 1, 2, 3), (35, 35, 20, 10))[0]
        wanted = min(max(wanted, int(first)), len(self.coalitions.everywhere))
        chosen: list[Organization] = []
        while len(chosen) < wanted:
            coalition = self.coalitions.pick(rng, region)
            if all(coalition is not other for other in chosen):
                chosen.append(coalition)
        planned.memberships = [
            CoalitionMembershipFactory.build(organization=planned.organization, coalition=coalition)
            for coalition in chosen
        ]

    def write(self, batch: list[_Planned]) -> None:
        """Store a batch: one bulk insert per table (the batch size is chosen so that the
        organizations fit in one statement). The dependent rows take their
        organizations' primary keys from the objects they point at."""
        organizations = [planned.organization for planned in batch]
        Organization.objects.bulk_create(organizations)
        if any(organization.pk is None for organization in organizations):
            # Backends that cannot return primary keys from a bulk insert.
            pks = dict(
                Organization.objects.filter(
                    slug__in=[organization.slug for organization in organizations]
                ).values_list("slug", "pk")
            )
            for organization in organizations:
                organization.pk = pks[organization.slug]

        for name in M2M_FIELDS:
            relation = Organization._meta.get_field(name)
            through = relation.remote_field.through
            source = f"{relation.m2m_field_name()}_id"
            target = f"{relation.m2m_reverse_field_name()}_id"
            rows = [
                through(**{source: planned.organization.pk, target: term})
                for planned in batch
                for term in planned.links[name]
            ]
            through.objects.bulk_create(rows)
            self.counts["links"] += len(rows)

        for model, rows in (
            (MemberCategory, [row for planned in batch for row in planned.member_categories]),
            (CoalitionMembership, [row for planned in batch for row in planned.memberships]),
            (ServiceAgreement, [row for planned in batch for row in planned.agreements]),
            (AutonomyAssessment, [row for planned in batch for row in planned.assessments]),
        ):
            if rows:
                model.objects.bulk_create(rows)
            self.counts[model.__name__] += len(rows)
        self.counts["solidarity"] += sum(1 for planned in batch if planned.member_categories)
        self.counts["assessed"] += sum(
            planned.organization.recognition_status != RecognitionStatus.NOT_ASSESSED
            for planned in batch
        )


@contextmanager
def full_sqlite_statements() -> Iterator[None]:
    """Let SQLite take a whole batch in one statement.

    Django 5.2 assumes SQLite's historical limit of 999 variables per statement and
    splits a bulk insert of organizations (28 columns) into 35-row statements. SQLite
    3.32 and later allow 32,766 (distributions often more); for the length of the run,
    use the limit this connection actually has, as Django 6.0 does (ticket #36143).
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    features = connection.features
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    overridden = "max_query_params" in vars(features)
    previous = features.max_query_params
    features.max_query_params = max(previous, limit)
    try:
        yield
    finally:
        if overridden:
            features.max_query_params = previous
        else:
            del features.max_query_params


class Command(BaseCommand):
    help = "Create N synthetic organizations (with links, memberships, co-operative facts)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organizations", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Organizations per bulk insert."
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(
        self,
        *args: Any,
        organizations: int,
        seed: int,
        batch_size: int,
        no_progress: bool,
        **options: Any,
    ) -> None:
        if organizations < 1:
            raise CommandError("--organizations must be at least 1.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.perf_counter()
        with seeded_factories(seed), full_sqlite_statements(), transaction.atomic():
            batch_size = min(batch_size, self._rows_per_statement(batch_size))
            generator = Generator(seed, self._next_run())
            with progress_bar(self, organizations, "org", disable=no_progress) as bar:
                for first in range(0, organizations, batch_size):
                    last = min(first + batch_size, organizations)
                    generator.write([generator.plan(i) for i in range(first, last)])
                    bar.update(last - first)
        self._report(generator, organizations, seed, batch_size, time.perf_counter() - started)

    @staticmethod
    def _next_run() -> int:
        """One more than the last run recorded in the slugs (zero-padded, so the greatest
        slug is the last run)."""
        last = Organization.objects.filter(slug__startswith=SLUG_PREFIX).aggregate(
            last=Max("slug")
        )["last"]
        if last is None:
            return 1
        return int(last[len(SLUG_PREFIX) :].split("-", 1)[0]) + 1

    @staticmethod
    def _rows_per_statement(batch_size: int) -> int:
        """How many organizations the database takes in one INSERT."""
        fields = [f for f in Organization._meta.concrete_fields if not f.primary_key]
        return connection.ops.bulk_batch_size(fields, [None] * batch_size)

    def _report(
        self, generator: Generator, total: int, seed: int, batch_size: int, seconds: float
    ) -> None:
        counts = generator.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {total:,} synthetic organizations (run {generator.run}, seed {seed}, "
                f"batches of {batch_size:,}) in {seconds:.1f} s:"
            )
        )
        for line in (
            f"{counts[K.COALITION]:,} coalitions, "
            f"{counts['CoalitionMembership']:,} coalition memberships",
            f"{counts[K.COOPERATIVE]:,} co-operatives, {counts['solidarity']:,} of them "
            f"solidarity co-operatives with {counts['MemberCategory']:,} member categories",
            f"{counts[K.GOVERNMENT]:,} government bodies, "
            f"{counts['ServiceAgreement']:,} service agreements",
            f"{counts['assessed']:,} organizations with "
            f"{counts['AutonomyAssessment']:,} autonomy assessments",
            f"{counts['links']:,} links to regions, sectors, constituencies and fields",
        ):
            self.stdout.write(f"  {line}")
        self.stdout.write(
            "Bulk writes bypass the search signals: run `manage.py search_index rebuild` "
            "to fill the search index."
        )
