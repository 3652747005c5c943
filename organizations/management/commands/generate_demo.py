"""Generate a large synthetic catalogue for benchmarks:
`manage.py generate_demo --organizations 10000 [--seed 1] [--batch-size 1000] [--no-progress]`.

Fast by construction: every table is written with one `bulk_create` per batch of
organizations, so a run takes a number of queries proportional to N / batch size, never
to N, in one transaction. Random but deterministic: the same seed and size give the same
catalogue, whatever the batch size (each organization only links to coalitions and
government bodies generated before it). Names and slugs carry a run number, so the
command can run again on the same database. Bulk writes bypass the search signals: the
index is filled afterwards with `manage.py search_index rebuild`.
"""

import datetime
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import slugify

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
    MembershipRole,
    Organization,
    OrganizationKind,
    RecognitionStatus,
    Region,
    Sector,
    ServiceAgreement,
)

SLUG_PREFIX = "synthetic-r"
LAST_DAY = datetime.date(2024, 12, 31)

K = OrganizationKind
C = CooperativeType


@dataclass(frozen=True)
class Profile:
    """A believable kind of organization: its name pattern, classification and sizes."""

    weight: float
    kind: str
    pattern: str  # {word}: a distinctive word; {of}: "de Rimouski", "du Bic"…
    label_en: str
    label_fr: str
    sectors: tuple[str, ...]
    constituencies: tuple[str, ...]
    fields: tuple[str, ...]
    members: tuple[int, int]
    staff: tuple[int, int]
    cooperative_type: str = ""
    service: tuple[str, int, int] | None = None  # what a government body contracts for


# About half of community organizations work in health and social services.
PROFILES = [
    Profile(9, K.AUTONOMOUS_COMMUNITY, "Centre de femmes {word} {of}", "A women's centre",
            "Un centre de femmes", ("community-action",), ("women", "immigrants", "low-income"),
            ("mutual-aid", "popular-education", "advocacy"), (40, 300), (1, 8)),
    Profile(8, K.AUTONOMOUS_COMMUNITY, "Maison des jeunes {word} {of}", "A youth centre",
            "Une maison des jeunes", ("leisure", "community-action"), ("youth",),
            ("services", "popular-education"), (15, 80), (1, 5)),
    Profile(8, K.AUTONOMOUS_COMMUNITY, "Maison de la famille {word} {of}",
            "A family resource centre", "Un organisme communautaire famille",
            ("community-action", "child-care"), ("families",), ("services", "mutual-aid"),
            (50, 400), (2, 10)),
    Profile(8, K.AUTONOMOUS_COMMUNITY, "Groupe d'entraide en santé mentale {word} {of}",
            "A mental health peer-support group", "Un groupe d'entraide en santé mentale",
            ("mental-health", "health-social"), ("disabilities",), ("mutual-aid", "advocacy"),
            (30, 200), (2, 12)),
    Profile(6, K.AUTONOMOUS_COMMUNITY, "Cuisine collective {word} {of}", "A collective kitchen",
            "Une cuisine collective", ("food-security",), ("low-income", "families"),
            ("mutual-aid", "popular-education"), (20, 300), (1, 5)),
    Profile(5, K.AUTONOMOUS_COMMUNITY, "Carrefour d'alphabétisation {word} {of}",
            "A popular literacy group", "Un groupe d'alphabétisation populaire",
            ("education",), ("low-income", "immigrants"), ("popular-education",), (20, 150),
            (1, 6)),
    Profile(4, K.AUTONOMOUS_COMMUNITY, "Centre d'accueil des personnes immigrantes {of}",
            "A settlement centre for immigrants", "Un centre d'accueil des personnes immigrantes",
            ("community-action", "employment"), ("immigrants",), ("services", "advocacy"),
            (30, 200), (3, 20)),
    Profile(5, K.AUTONOMOUS_COMMUNITY, "Maison d'hébergement {word}", "A shelter for women",
            "Une maison d'hébergement pour femmes", ("health-social", "housing"),
            ("women", "families"), ("services", "advocacy"), (15, 80), (5, 20)),
    Profile(3, K.AUTONOMOUS_COMMUNITY, "Groupe environnemental {word} {of}",
            "A citizen environmental group", "Un groupe environnemental citoyen",
            ("environment",), ("youth",), ("popular-education", "social-economy"), (20, 200),
            (1, 8)),
    Profile(2, K.AUTONOMOUS_COMMUNITY, "Centre d'amitié autochtone {of}",
            "An Indigenous friendship centre", "Un centre d'amitié autochtone",
            ("community-action", "health-social"), ("indigenous",), ("services", "mutual-aid"),
            (50, 300), (3, 25)),
    Profile(5, K.ADVOCACY, "Comité logement {of}", "A tenants' rights group",
            "Un comité logement", ("housing", "rights-defence"), ("tenants", "low-income"),
            ("advocacy", "popular-education"), (50, 500), (1, 4)),
    Profile(3, K.ADVOCACY, "Association de défense des droits sociaux {of}",
            "A welfare rights group", "Un groupe de défense des droits sociaux",
            ("rights-defence",), ("low-income",), ("advocacy",), (50, 300), (1, 4)),
    Profile(2, K.ADVOCACY, "Regroupement de défense des droits des personnes handicapées {of}",
            "A disability rights group", "Un groupe de défense des droits des personnes "
            "handicapées", ("rights-defence",), ("disabilities",), ("advocacy", "representation"),
            (30, 150), (1, 4)),
    Profile(7, K.COMMUNITY, "Centre d'action bénévole {word} {of}", "A volunteer centre",
            "Un centre d'action bénévole", ("home-care", "health-social"),
            ("seniors", "disabilities"), ("services",), (80, 500), (2, 10)),
    Profile(5, K.COMMUNITY, "Centre de la petite enfance {word}", "A child care centre",
            "Un centre de la petite enfance", ("child-care",), ("families",), ("services",),
            (40, 120), (8, 30)),
    Profile(3, K.COMMUNITY, "Club de l'âge d'or {of}", "A seniors' club", "Un club d'aînés",
            ("leisure",), ("seniors",), ("mutual-aid",), (60, 500), (0, 1)),
    Profile(3, K.COMMUNITY, "Carrefour jeunesse-emploi {of}", "A youth employment centre",
            "Un carrefour jeunesse-emploi", ("employment",), ("youth",), ("services",),
            (15, 40), (5, 20)),
    Profile(2, K.COMMUNITY, "Théâtre communautaire {word}", "A community theatre",
            "Un théâtre communautaire", ("culture",), ("youth",), ("popular-education",),
            (15, 90), (0, 4)),
    Profile(3, K.COOPERATIVE, "Coopérative de solidarité santé {of}",
            "A solidarity health co-operative", "Une coopérative de solidarité santé",
            ("primary-care", "health-social"), ("families", "seniors"),
            ("services", "social-economy"), (800, 6000), (10, 60),
            cooperative_type=C.SOLIDARITY,
            service=("Soins de santé de première ligne", 5_000, 40_000)),
    Profile(3, K.COOPERATIVE, "Coopérative de solidarité en aide à domicile {of}",
            "A solidarity home-care co-operative",
            "Une coopérative de solidarité en aide à domicile", ("home-care", "health-social"),
            ("seniors", "disabilities"), ("services", "social-economy"), (200, 2000), (10, 80),
            cooperative_type=C.SOLIDARITY,
            service=("Aide domestique à domicile", 300, 3_000)),
    Profile(2, K.COOPERATIVE, "Coopérative de solidarité alimentaire {word}",
            "A solidarity food co-operative", "Une coopérative de solidarité alimentaire",
            ("food-security", "fair-trade"), ("families",), ("social-economy",), (100, 1500),
            (2, 15), cooperative_type=C.SOLIDARITY),
    Profile(4, K.COOPERATIVE, "Coopérative d'habitation {word}", "A housing co-operative",
            "Une coopérative d'habitation", ("housing",), ("tenants", "families", "low-income"),
            ("mutual-aid",), (8, 200), (0, 2), cooperative_type=C.HOUSING,
            service=("Supplément au loyer", 5, 60)),
    Profile(2, K.COOPERATIVE, "Coopérative de travail {word}", "A worker co-operative",
            "Une coopérative de travail", ("employment", "environment"), ("workers",),
            ("social-economy",), (5, 40), (3, 40), cooperative_type=C.WORKER),
    Profile(1, K.COOPERATIVE, "Coopérative jeunesse de services {of}",
            "A youth service co-operative", "Une coopérative jeunesse de services",
            ("employment",), ("youth",), ("social-economy", "popular-education"), (6, 15),
            (0, 1), cooperative_type=C.WORKER),
    Profile(2, K.COOPERATIVE, "Coopérative de producteurs {word} {of}",
            "A producer co-operative", "Une coopérative de producteurs",
            ("fair-trade", "food-security"), ("workers",), ("social-economy",), (10, 300),
            (2, 60), cooperative_type=C.PRODUCER),
    Profile(1, K.COOPERATIVE, "Coopérative d'électricité {of}", "A utility co-operative",
            "Une coopérative d'électricité", ("utilities",), (), ("services",), (500, 150_000),
            (5, 200), cooperative_type=C.CONSUMER,
            service=("Distribution d'électricité", 2_000, 150_000)),
    Profile(1, K.COOPERATIVE, "Coopérative informatique municipale {of}",
            "A municipal informatics co-operative",
            "Une coopérative informatique municipale", ("municipal-it", "utilities"), (),
            ("services",), (5, 30), (3, 20), cooperative_type=C.CONSUMER,
            service=("Services informatiques municipaux", 5_000, 80_000)),
    Profile(1, K.COOPERATIVE, "Coopérative de transport collectif {of}",
            "A transit co-operative", "Une coopérative de transport collectif", ("transit",),
            ("seniors", "low-income"), ("services",), (100, 800), (2, 15),
            cooperative_type=C.CONSUMER, service=("Transport collectif", 2_000, 30_000)),
    Profile(1, K.COOPERATIVE, "Caisse populaire {of}", "A financial co-operative",
            "Une caisse populaire", ("finance",), (), ("services",), (1_000, 30_000), (10, 80),
            cooperative_type=C.FINANCIAL),
    Profile(1, K.MUTUAL, "Mutuelle de formation {of}", "A training mutual",
            "Une mutuelle de formation", ("employment", "education"), (), ("services",),
            (20, 100), (0, 3)),
    Profile(2, K.COALITION, "Table régionale des organismes communautaires {of}",
            "A regional roundtable of community organizations",
            "Une table régionale d'organismes communautaires", ("community-action",), (),
            ("representation",), (30, 150), (1, 4)),
    Profile(1, K.COALITION, "Corporation de développement communautaire {of}",
            "A local community development corporation",
            "Une corporation de développement communautaire", ("community-action",), (),
            ("community-development", "representation"), (15, 60), (1, 5)),
    Profile(1, K.COALITION, "Regroupement des ressources en santé mentale {of}",
            "A regional grouping of mental health resources",
            "Un regroupement régional de ressources en santé mentale",
            ("mental-health", "health-social"), (), ("representation",), (10, 60), (1, 3)),
    Profile(1, K.GOVERNMENT, "Centre local de développement {of}",
            "A local development centre", "Un centre local de développement",
            ("community-action",), (), ("community-development",), (0, 0), (3, 20)),
    Profile(0.5, K.GOVERNMENT, "Municipalité {of}", "A municipality", "Une municipalité",
            ("utilities", "transit"), (), ("services",), (0, 0), (10, 200)),
]  # fmt: skip

# The first organizations of every run, so that even a small run has every kind of row.
FIRST_PROFILES = [
    next(p for p in PROFILES if p.kind == K.COALITION),
    next(p for p in PROFILES if p.kind == K.GOVERNMENT),
    next(p for p in PROFILES if p.cooperative_type == C.SOLIDARITY),
    next(p for p in PROFILES if p.kind == K.AUTONOMOUS_COMMUNITY),
]

# town, region code
PLACES = [
    ("Rimouski", "qc-01"), ("Matane", "qc-01"), ("Rivière-du-Loup", "qc-01"),
    ("Chicoutimi", "qc-02"), ("Alma", "qc-02"), ("Roberval", "qc-02"),
    ("Québec", "qc-03"), ("Baie-Saint-Paul", "qc-03"), ("Portneuf", "qc-03"),
    ("Trois-Rivières", "qc-04"), ("Shawinigan", "qc-04"), ("La Tuque", "qc-04"),
    ("Sherbrooke", "qc-05"), ("Magog", "qc-05"), ("Coaticook", "qc-05"),
    ("Montréal-Nord", "qc-06"), ("Verdun", "qc-06"), ("Hochelaga", "qc-06"),
    ("Gatineau", "qc-07"), ("Maniwaki", "qc-07"), ("Shawville", "qc-07"),
    ("Rouyn-Noranda", "qc-08"), ("Val-d'Or", "qc-08"), ("Amos", "qc-08"),
    ("Sept-Îles", "qc-09"), ("Baie-Comeau", "qc-09"), ("Forestville", "qc-09"),
    ("Chibougamau", "qc-10"), ("Matagami", "qc-10"),
    ("Gaspé", "qc-11"), ("Les Îles-de-la-Madeleine", "qc-11"), ("Chandler", "qc-11"),
    ("Lévis", "qc-12"), ("Saint-Georges", "qc-12"), ("Montmagny", "qc-12"),
    ("Laval", "qc-13"), ("Chomedey", "qc-13"),
    ("Joliette", "qc-14"), ("Terrebonne", "qc-14"), ("Saint-Michel-des-Saints", "qc-14"),
    ("Saint-Jérôme", "qc-15"), ("Mont-Laurier", "qc-15"), ("Sainte-Agathe", "qc-15"),
    ("Saint-Hyacinthe", "qc-16"), ("Longueuil", "qc-16"), ("Granby", "qc-16"),
    ("Drummondville", "qc-17"), ("Victoriaville", "qc-17"), ("Nicolet", "qc-17"),
    ("Ottawa", "on"), ("Sudbury", "on"), ("Hawkesbury", "on"), ("Timmins", "on"),
    ("Moncton", "nb"), ("Edmundston", "nb"), ("Caraquet", "nb"),
    ("Saint-Boniface", "mb"),
]  # fmt: skip

WORDS = [
    "Horizon", "Le Phare", "La Boussole", "L'Escale", "Le Tremplin", "L'Envol", "La Ruche",
    "Le Relais", "L'Éclaircie", "Le Carrefour", "La Passerelle", "Le Havre", "L'Arc-en-ciel",
    "Le Pignon", "La Source", "L'Ancrage", "Le Sillon", "La Marée", "L'Étincelle",
    "Le Chaînon", "La Traversée", "Le Point commun", "La Grande Ourse", "Les Semailles",
]  # fmt: skip

INCORPORATION_ACTS = {
    "qc": "Loi sur les coopératives (RLRQ, c. C-67.2)",
    "on": "Co-operative Corporations Act (R.S.O. 1990, c. C.35)",
    "nb": "Loi sur les associations coopératives (Nouveau-Brunswick)",
    "mb": "The Cooperatives Act (Manitoba)",
}
MEMBERSHIP_ROLES = [MembershipRole.MEMBER] * 6 + [
    MembershipRole.BOARD_MEMBER,
    MembershipRole.FOUNDING_MEMBER,
    MembershipRole.ASSOCIATE,
    MembershipRole.OBSERVER,
]
SYNTHETIC_EVIDENCE = {
    AssessmentOutcome.MET: "Pièces justificatives au dossier (donnée synthétique).",
    AssessmentOutcome.NOT_MET: "Critère non satisfait selon le dossier (donnée synthétique).",
    AssessmentOutcome.UNKNOWN: "Pièce justificative manquante (donnée synthétique).",
}
M2M_FIELDS = ("regions_served", "sectors", "constituencies", "fields_of_activity")


def _of(town: str) -> str:
    """The French "of" before a place name: de Rimouski, d'Amos, du Bic, des Îles."""
    if town.startswith("Les "):
        return f"des {town[4:]}"
    if town.startswith("Le "):
        return f"du {town[3:]}"
    if town[0] in "AEIOUÉÈÎ":
        return f"d'{town}"
    return f"de {town}"


@dataclass
class _Planned:
    """One organization and its dependent rows, before any of them has a primary key."""

    organization: Organization
    links: dict[str, list[int]]  # many-to-many field name → term ids
    member_categories: list[MemberCategory] = field(default_factory=list)
    memberships: list[tuple[int, CoalitionMembership]] = field(default_factory=list)
    agreements: list[tuple[int, ServiceAgreement]] = field(default_factory=list)
    assessments: list[AutonomyAssessment] = field(default_factory=list)


class _Pool:
    """Run indices of organizations that others link to, by region."""

    def __init__(self) -> None:
        self.everywhere: list[int] = []
        self.by_region: dict[str, list[int]] = {}

    def __bool__(self) -> bool:
        return bool(self.everywhere)

    def add(self, index: int, region: str) -> None:
        self.everywhere.append(index)
        self.by_region.setdefault(region, []).append(index)

    def pick(self, rng: random.Random, region: str) -> int:
        """Rather one of the same region, otherwise any."""
        nearby = self.by_region.get(region)
        if nearby and rng.random() < 0.7:
            return rng.choice(nearby)
        return rng.choice(self.everywhere)


class Generator:
    """Plans organizations one by one from a seeded random generator; `write` stores a
    batch of plans with one bulk insert per table."""

    def __init__(self, seed: int, run: int) -> None:
        self.rng = random.Random(seed)
        self.run = run
        self.regions = dict(Region.objects.values_list("code", "pk"))
        self.sectors = dict(Sector.objects.values_list("code", "pk"))
        self.constituencies = dict(Constituency.objects.values_list("code", "pk"))
        self.fields = dict(FieldOfActivity.objects.values_list("code", "pk"))
        self.criteria = list(AutonomyCriterion.objects.values_list("pk", flat=True))
        self.quebec_regions = sorted(code for code in self.regions if code.startswith("qc-"))
        self.weights = [profile.weight for profile in PROFILES]
        # Run indices of the coalitions and government bodies planned so far; their
        # primary keys once written.
        self.coalitions = _Pool()
        self.governments = _Pool()
        self.pk_by_index: dict[int, int] = {}
        self.counts: Counter[str] = Counter()

    def plan(self, index: int) -> _Planned:
        rng = self.rng
        first = index < len(FIRST_PROFILES)  # always with every kind of dependent row
        profile = FIRST_PROFILES[index] if first else rng.choices(PROFILES, self.weights)[0]
        town, region = rng.choice(PLACES)
        base = profile.pattern.format(word=rng.choice(WORDS), of=_of(town))
        number = index + 1
        founded = rng.randint(1965, 2022)
        organization = Organization(
            name=f"{base} #{self.run}.{number}",
            slug=f"{SLUG_PREFIX}{self.run:05d}-{number:07d}-{slugify(base)}"[:255],
            kind=profile.kind,
            cooperative_type=profile.cooperative_type,
            founded_year=founded,
            region_id=self.regions[region],
            staff_fte=Decimal(rng.randint(profile.staff[0] * 10, profile.staff[1] * 10)) / 10,
            member_count=rng.randint(*profile.members) if profile.members[1] else None,
            serves_in_english=not region.startswith("qc") or rng.random() < 0.15,
            summary_en=f"{profile.label_en} in {town}. Synthetic record for benchmarks.",
            summary_fr=f"{profile.label_fr} à {town}. Fiche synthétique pour les bancs d'essai.",
        )
        planned = _Planned(organization, self._links(profile, region))
        if profile.kind == K.COOPERATIVE:
            self._cooperative(planned, profile, region, founded, first)
        if profile.kind in (K.AUTONOMOUS_COMMUNITY, K.ADVOCACY) and (rng.random() < 0.45 or first):
            self._assess(planned)
        if profile.kind != K.GOVERNMENT:
            self._join_coalitions(planned, region, founded, first)
        if profile.kind == K.COALITION:
            self.coalitions.add(index, region)
        elif profile.kind == K.GOVERNMENT:
            self.governments.add(index, region)
        self.counts[profile.kind] += 1
        return planned

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
            "regions_served": [self.regions[code] for code in sorted(served)],
            "sectors": [self.sectors[code] for code in sorted(sectors)],
            "constituencies": [
                self.constituencies[code] for code in constituencies or profile.constituencies[:1]
            ],
            "fields_of_activity": [self.fields[code] for code in fields],
        }

    def _cooperative(
        self, planned: _Planned, profile: Profile, region: str, founded: int, first: bool
    ) -> None:
        rng = self.rng
        organization = planned.organization
        jurisdiction = "qc" if region.startswith("qc-") else region
        organization.incorporation_act = INCORPORATION_ACTS[jurisdiction]
        organization.incorporation_jurisdiction_id = self.regions[jurisdiction]
        organization.incorporation_date = datetime.date(founded, 1, 1) + datetime.timedelta(
            days=rng.randint(0, 364)
        )
        organization.has_share_capital = rng.random() < 0.85
        if profile.cooperative_type == C.SOLIDARITY:
            counts = {
                MemberCategoryKind.WORKER: rng.randint(3, 60),
                MemberCategoryKind.USER: rng.randint(*profile.members),
                MemberCategoryKind.SUPPORTING: rng.randint(5, 250),
            }
            planned.member_categories = [
                MemberCategory(category=category, count=count) for category, count in counts.items()
            ]
            organization.member_count = sum(counts.values())
        if not planned.member_categories and rng.random() < 0.15:
            # A small co-operative, under every auditor threshold.
            organization.member_count = rng.randint(5, 15)
            capital = rng.randint(0, 15_000)
            revenue = rng.randint(5_000, 100_000)
            assets = rng.randint(1_000, 50_000)
        else:
            members = organization.member_count or 10
            revenue = members * rng.randint(100, 2_000) + int(organization.staff_fte * 55_000)
            capital = members * rng.randint(20, 500)
            assets = int(revenue * rng.uniform(0.3, 3))
        organization.share_capital = Decimal(capital) if organization.has_share_capital else None
        organization.gross_revenue = Decimal(revenue)
        organization.assets = Decimal(assets)
        if profile.service and self.governments and (rng.random() < 0.6 or first):
            service, low, high = profile.service
            government = self.governments.pick(rng, region)
            start = datetime.date(max(founded, 1990), 1, 1) + datetime.timedelta(
                days=rng.randint(0, 3650)
            )
            end = None
            if rng.random() < 0.2:
                end = start + datetime.timedelta(days=rng.randint(365, 1825))
            agreement = ServiceAgreement(
                service=service,
                population_served=rng.randint(low, high),
                start_date=start,
                end_date=end,
            )
            planned.agreements.append((government, agreement))

    def _assess(self, planned: _Planned) -> None:
        rng = self.rng
        assessed_on = datetime.date(2002, 1, 1) + datetime.timedelta(days=rng.randint(0, 8000))
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
                for criterion in sorted(chosen)
            }
        planned.assessments = [
            AutonomyAssessment(
                criterion_id=criterion,
                outcome=outcome,
                evidence=SYNTHETIC_EVIDENCE[outcome],
                assessed_on=assessed_on,
            )
            for criterion, outcome in outcomes.items()
        ]
        planned.organization.recognition_status = derive_recognition_status(
            planned.assessments, self.criteria
        )

    def _join_coalitions(self, planned: _Planned, region: str, founded: int, first: bool) -> None:
        rng = self.rng
        wanted = rng.choices((0, 1, 2, 3), (35, 35, 20, 10))[0]
        wanted = min(max(wanted, int(first)), len(self.coalitions.everywhere))
        chosen: list[int] = []
        while len(chosen) < wanted:
            coalition = self.coalitions.pick(rng, region)
            if coalition not in chosen:
                chosen.append(coalition)
        for coalition in chosen:
            start = datetime.date(founded, 1, 1) + datetime.timedelta(
                days=rng.randint(0, (LAST_DAY - datetime.date(founded, 1, 1)).days)
            )
            end = None
            if rng.random() < 0.15:
                end = min(LAST_DAY, start + datetime.timedelta(days=rng.randint(365, 4000)))
            membership = CoalitionMembership(
                role=rng.choice(MEMBERSHIP_ROLES), start_date=start, end_date=end
            )
            planned.memberships.append((coalition, membership))

    def write(self, first_index: int, batch: list[_Planned]) -> None:
        """Store a batch: one bulk insert per table (the batch size is chosen so that the
        organizations fit in one statement)."""
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
        for offset, organization in enumerate(organizations):
            self.pk_by_index[first_index + offset] = organization.pk

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

        categories, memberships, agreements, assessments = [], [], [], []
        for planned in batch:
            pk = planned.organization.pk
            for category in planned.member_categories:
                category.organization_id = pk
                categories.append(category)
            for coalition, membership in planned.memberships:
                membership.organization_id = pk
                membership.coalition_id = self.pk_by_index[coalition]
                memberships.append(membership)
            for government, agreement in planned.agreements:
                agreement.provider_id = pk
                agreement.government_body_id = self.pk_by_index[government]
                agreements.append(agreement)
            for assessment in planned.assessments:
                assessment.organization_id = pk
                assessments.append(assessment)
            if planned.organization.recognition_status != RecognitionStatus.NOT_ASSESSED:
                self.counts["assessed"] += 1
        for model, rows in (
            (MemberCategory, categories),
            (CoalitionMembership, memberships),
            (ServiceAgreement, agreements),
            (AutonomyAssessment, assessments),
        ):
            if rows:
                model.objects.bulk_create(rows)
            self.counts[model.__name__] += len(rows)
        self.counts["solidarity"] += sum(1 for planned in batch if planned.member_categories)


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
        with full_sqlite_statements(), transaction.atomic():
            batch_size = min(batch_size, self._rows_per_statement(batch_size))
            generator = Generator(seed, self._next_run())
            with progress_bar(self, organizations, "org", disable=no_progress) as bar:
                for first in range(0, organizations, batch_size):
                    last = min(first + batch_size, organizations)
                    generator.write(first, [generator.plan(i) for i in range(first, last)])
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
