"""factory_boy factories: one description of plausible data for the tests, the
benchmarks and `manage.py generate_demo`.

They live in the project, not in `tests/`, because the command builds its synthetic
catalogue with them (unsaved, with `build()`, then written in bulk); that makes
factory-boy a runtime dependency. `tests/factories.py` re-exports them for the tests.
Every random draw goes through factory_boy's generator (`factory.random.randgen`), so
`factory.random.reseed_random(seed)` makes a run repeatable.
"""

import datetime
import random
from decimal import Decimal

import factory
import factory.fuzzy
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from concertation.organization_profiles import (
    INCORPORATION_ACTS,
    LAST_DAY,
    MEMBERSHIP_ROLES,
    PLACES,
    PROFILES,
    SYNTHETIC_EVIDENCE,
    WEIGHTS,
    WORDS,
    french_of,
)
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
    Region,
    RegionKind,
    Sector,
    ServiceAgreement,
)

SLUG_PREFIX = "synthetic-r"  # then the run number: generate_demo finds its last run by it


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")
    name_fr = factory.Sequence(lambda n: f"Région {n}")
    kind = RegionKind.ADMINISTRATIVE_REGION


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"sector-{n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")
    name_fr = factory.Sequence(lambda n: f"Secteur {n}")


class ConstituencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constituency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"constituency-{n}")
    name_en = factory.Sequence(lambda n: f"Constituency {n}")
    name_fr = factory.Sequence(lambda n: f"Clientèle {n}")


class FieldOfActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldOfActivity
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"field-{n}")
    name_en = factory.Sequence(lambda n: f"Field {n}")
    name_fr = factory.Sequence(lambda n: f"Champ {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    """An autonomous community organization with a head-office region and one sector.

    Pass `sectors=[...]`, `regions_served=[...]`, `constituencies=[...]` to choose them."""

    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community organization {n}")
    slug = factory.LazyAttribute(lambda organization: slugify(organization.name))
    kind = OrganizationKind.AUTONOMOUS_COMMUNITY
    cooperative_type = factory.Maybe(
        factory.LazyAttribute(lambda o: o.kind == OrganizationKind.COOPERATIVE),
        yes_declaration="consumer",
        no_declaration="",
    )
    region = factory.SubFactory(RegionFactory)
    summary_en = ""
    summary_fr = ""

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create:
            self.sectors.set(extracted if extracted is not None else [SectorFactory()])

    @factory.post_generation
    def regions_served(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions_served.set(extracted)

    @factory.post_generation
    def constituencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.constituencies.set(extracted)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A funding programme over fiscal years 2000–2005 (no budgets)."""

    class Meta:
        model = "funding.Programme"

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.LazyAttribute(lambda programme: slugify(programme.name))
    funder = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.GOVERNMENT)
    mode = "global_mission"
    first_fiscal_year = 2000
    last_fiscal_year = 2005


class ForumFactory(factory.django.DjangoModelFactory):
    """A regional government table, active since 2000."""

    class Meta:
        model = "fora.Forum"

    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.LazyAttribute(lambda forum: slugify(forum.name))
    convenor = factory.SubFactory(OrganizationFactory)
    level = "regional"
    kind = "government_table"
    active_from = datetime.date(2000, 1, 1)


def _random() -> random.Random:
    """factory_boy's generator, the one `factory.random.reseed_random` seeds."""
    return factory.random.randgen


def _day_between(first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=_random().randint(0, (last - first).days))


def _founded(organization: Organization) -> int:
    return organization.founded_year or 2000


class RegionsByCode:
    """Region rows by code, created when missing: the default `regions` of
    PlausibleOrganizationFactory (generate_demo passes the rows it loaded once)."""

    def __getitem__(self, code: str) -> Region:
        return RegionFactory(code=code)


class PlausibleOrganizationFactory(OrganizationFactory):
    """An organization drawn from a profile of `concertation.organization_profiles` (a
    women's centre in Rimouski, a housing co-operative in Verdun…): name, classification,
    founding year, staff, members, language and, for a co-operative, its incorporation
    and finances. Its links and dependent rows are the caller's.

    Parameters: `profile` and `place` (town, region code), drawn by default; `regions`
    (region code → Region); `run` and `number`, which make the name and slug unique."""

    class Params:
        profile = factory.LazyFunction(lambda: _random().choices(PROFILES, WEIGHTS)[0])
        place = factory.LazyFunction(lambda: _random().choice(PLACES))
        regions = factory.LazyFunction(RegionsByCode)
        run = 0
        number = factory.Sequence(lambda n: n + 1)
        label = factory.LazyAttribute(
            lambda o: o.profile.pattern.format(
                word=_random().choice(WORDS), of=french_of(o.place[0])
            )
        )
        cooperative = factory.LazyAttribute(
            lambda o: o.profile.kind == OrganizationKind.COOPERATIVE
        )
        # A small co-operative, under every auditor threshold (a solidarity co-operative
        # counts its members by category: never small).
        small = factory.LazyAttribute(
            lambda o: (
                o.cooperative
                and o.profile.cooperative_type != CooperativeType.SOLIDARITY
                and _random().random() < 0.15
            )
        )
        jurisdiction = factory.LazyAttribute(
            lambda o: "qc" if o.place[1].startswith("qc-") else o.place[1]
        )
        finances = factory.LazyAttribute(lambda o: _cooperative_finances(o))

    name = factory.LazyAttribute(lambda o: f"{o.label} #{o.run}.{o.number}")
    slug = factory.LazyAttribute(
        lambda o: f"{SLUG_PREFIX}{o.run:05d}-{o.number:07d}-{slugify(o.label)}"[:255]
    )
    kind = factory.LazyAttribute(lambda o: o.profile.kind)
    cooperative_type = factory.LazyAttribute(lambda o: o.profile.cooperative_type)
    founded_year = factory.fuzzy.FuzzyInteger(1965, 2022)
    region = factory.LazyAttribute(lambda o: o.regions[o.place[1]])
    staff_fte = factory.LazyAttribute(
        lambda o: Decimal(_random().randint(o.profile.staff[0] * 10, o.profile.staff[1] * 10)) / 10
    )
    member_count = factory.LazyAttribute(
        lambda o: (
            _random().randint(5, 15)
            if o.small
            else _random().randint(*o.profile.members)
            if o.profile.members[1]
            else None
        )
    )
    serves_in_english = factory.LazyAttribute(
        lambda o: not o.place[1].startswith("qc") or _random().random() < 0.15
    )
    summary_en = factory.LazyAttribute(
        lambda o: f"{o.profile.label_en} in {o.place[0]}. Synthetic record for benchmarks."
    )
    summary_fr = factory.LazyAttribute(
        lambda o: f"{o.profile.label_fr} à {o.place[0]}. Fiche synthétique pour les bancs d'essai."
    )
    incorporation_act = factory.LazyAttribute(
        lambda o: INCORPORATION_ACTS[o.jurisdiction] if o.cooperative else ""
    )
    incorporation_jurisdiction = factory.LazyAttribute(
        lambda o: o.regions[o.jurisdiction] if o.cooperative else None
    )
    incorporation_date = factory.LazyAttribute(
        lambda o: (
            _day_between(datetime.date(o.founded_year, 1, 1), datetime.date(o.founded_year, 12, 31))
            if o.cooperative
            else None
        )
    )
    has_share_capital = factory.LazyAttribute(
        lambda o: _random().random() < 0.85 if o.cooperative else None
    )
    share_capital = factory.LazyAttribute(
        lambda o: Decimal(o.finances[0]) if o.finances and o.has_share_capital else None
    )
    gross_revenue = factory.LazyAttribute(lambda o: Decimal(o.finances[1]) if o.finances else None)
    assets = factory.LazyAttribute(lambda o: Decimal(o.finances[2]) if o.finances else None)


def _cooperative_finances(o: factory.builder.Resolver) -> tuple[int, int, int] | None:
    """A co-operative's share capital, gross revenue and assets, in proportion to its
    members and staff (a small one under every auditor threshold); None for others."""
    if not o.cooperative:
        return None
    rng = _random()
    if o.small:
        capital = rng.randint(0, 15_000)
        revenue = rng.randint(5_000, 100_000)
        return capital, revenue, rng.randint(1_000, 50_000)
    members = o.member_count or 10
    revenue = members * rng.randint(100, 2_000) + int(o.staff_fte * 55_000)
    capital = members * rng.randint(20, 500)
    return capital, revenue, int(revenue * rng.uniform(0.3, 3))


class MemberCategoryFactory(factory.django.DjangoModelFactory):
    """One category of a solidarity co-operative's members; `sizes` bounds its count."""

    class Meta:
        model = MemberCategory

    class Params:
        sizes = (5, 250)

    organization = factory.SubFactory(
        OrganizationFactory,
        kind=OrganizationKind.COOPERATIVE,
        cooperative_type=CooperativeType.SOLIDARITY,
    )
    category = MemberCategoryKind.USER
    count = factory.LazyAttribute(lambda o: _random().randint(*o.sizes))


class CoalitionMembershipFactory(factory.django.DjangoModelFactory):
    """A membership in a coalition, begun after the member was founded; about one in
    seven has ended."""

    class Meta:
        model = CoalitionMembership

    organization = factory.SubFactory(OrganizationFactory)
    coalition = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.COALITION)
    start_date = factory.LazyAttribute(
        lambda o: _day_between(datetime.date(_founded(o.organization), 1, 1), LAST_DAY)
    )
    end_date = factory.LazyAttribute(
        lambda o: (
            min(LAST_DAY, o.start_date + datetime.timedelta(_random().randint(365, 4000)))
            if _random().random() < 0.15
            else None
        )
    )
    role = factory.fuzzy.FuzzyChoice(MEMBERSHIP_ROLES)


class ServiceAgreementFactory(factory.django.DjangoModelFactory):
    """A government body contracting a provider for a service to a population drawn
    within `populations`; one in five has ended."""

    class Meta:
        model = ServiceAgreement

    class Params:
        populations = (300, 3_000)

    provider = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.COOPERATIVE)
    government_body = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.GOVERNMENT)
    service = "Aide domestique à domicile"
    population_served = factory.LazyAttribute(lambda o: _random().randint(*o.populations))
    start_date = factory.LazyAttribute(
        lambda o: _day_between(
            datetime.date(max(_founded(o.provider), 1990), 1, 1),
            datetime.date(max(_founded(o.provider), 1990) + 9, 12, 31),
        )
    )
    end_date = factory.LazyAttribute(
        lambda o: (
            o.start_date + datetime.timedelta(days=_random().randint(365, 1825))
            if _random().random() < 0.2
            else None
        )
    )


class AutonomyCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AutonomyCriterion
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"criterion-{n}")
    name_en = factory.Sequence(lambda n: f"Criterion {n}")
    name_fr = factory.Sequence(lambda n: f"Critère {n}")


class AutonomyAssessmentFactory(factory.django.DjangoModelFactory):
    """One criterion assessed for an organization, with the evidence its outcome calls
    for."""

    class Meta:
        model = AutonomyAssessment

    organization = factory.SubFactory(OrganizationFactory)
    criterion = factory.SubFactory(AutonomyCriterionFactory)
    outcome = AssessmentOutcome.MET
    evidence = factory.LazyAttribute(lambda o: SYNTHETIC_EVIDENCE[o.outcome])
    assessed_on = factory.fuzzy.FuzzyDate(datetime.date(2002, 1, 1), datetime.date(2023, 11, 27))
