"""The demo's funding, fiscal years 2000 to 2005, as tables and the few rules that turn
them into allocations. `organizations.funding.demo.demo_funding` loads them.

The story is the sector's complaint in those years: no concrete new money, but money
moved around. The health and social services sub-sector's mission funding is cut by
5 % of its 2000 level every year, and the money cut is reallocated, the same year, to
the global mission of autonomous community organizations — which otherwise get only a
1 % indexation as new money. Meanwhile the people organizations serve, their service
hours and their waiting lists grow faster than their funding, on both sides of the
move, so the funding per person served falls everywhere.

Programmes, funders and amounts are illustrative (every figure is invented); the
funders are the government bodies of `organizations.demo_data` and organizations are
named by their keys there. Amounts are whole dollars.
"""

import datetime
from dataclasses import dataclass

from organizations.funding.models import AllocationStatus, FundingMode, MoneyOrigin

date = datetime.date

YEARS = range(2000, 2006)
FIRST_YEAR = YEARS[0]

# The sub-sector whose money is cut, and the sub-sector it is reinvested in: the codes
# seeded by organizations/migrations/0002_seed_taxonomies.py.
HEALTH_SECTOR = "health-social"
COMMUNITY_SECTOR = "community-action"

HEALTH_CUT_PER_YEAR = 0.05  # of the 2000 level, cumulative
INDEXATION_PER_YEAR = 0.01  # the only new money of the global mission support

MISSION = "soutien-mission-globale"
HEALTH = "psoc-sante-services-sociaux"
AGREEMENTS = "ententes-services-sante"
PROJECTS = "projets-pilotes-abitibi"


@dataclass(frozen=True)
class ProgrammeSpec:
    slug: str
    name: str
    funder: str  # a government body's key in demo_data
    mode: str
    description: str
    budgets: dict[int, int]  # fiscal year → budget
    last_year: int | None = None


@dataclass(frozen=True)
class AllocationSpec:
    programme: str
    organization: str
    year: int
    amount: int
    origin: str = MoneyOrigin.NEW
    from_programme: str | None = None
    from_sector: str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    status: str = AllocationStatus.PUBLISHED
    notes: str = ""


@dataclass(frozen=True)
class LoadSpec:
    """An organization's service load in 2000 and its yearly growth."""

    organization: str
    people: int
    hours: int
    waiting: int | None  # None: no waiting list (the service takes everyone)
    growth: float  # people served and hours; a waiting list grows twice as fast


PROGRAMMES = [
    ProgrammeSpec(
        MISSION,
        "Soutien à la mission globale des organismes d'action communautaire autonome",
        "saca",
        FundingMode.GLOBAL_MISSION,
        "Core funding for the global mission of autonomous community organizations, "
        "allocated through the secretariat. From 2001 it also carries the money "
        "reallocated from the health and social services sub-sector.",
        {
            2000: 800_000,
            2001: 850_000,
            2002: 900_000,
            2003: 950_000,
            2004: 1_000_000,
            2005: 1_050_000,
        },
    ),
    ProgrammeSpec(
        HEALTH,
        "Programme de soutien aux organismes communautaires — santé et services sociaux",
        "regie-monteregie",
        FundingMode.GLOBAL_MISSION,
        "Mission funding of community organizations in health and social services "
        "through the regional health and social services board; cut every year from "
        "2001, the money moved to the global mission support of community action.",
        {2000: 850_000, 2001: 800_000, 2002: 760_000, 2003: 720_000, 2004: 680_000, 2005: 640_000},
    ),
    ProgrammeSpec(
        AGREEMENTS,
        "Ententes de services en première ligne et en soutien à domicile",
        "regie-monteregie",
        FundingMode.SERVICE_AGREEMENT,
        "Service agreements with community organizations and co-operatives delivering "
        "primary care and home support for the public network.",
        {2000: 480_000, 2001: 480_000, 2002: 480_000, 2003: 420_000, 2004: 420_000, 2005: 420_000},
    ),
    ProgrammeSpec(
        PROJECTS,
        "Fonds régional de projets pilotes de l'Abitibi-Témiscamingue",
        "crd-abitibi",
        FundingMode.PROJECT,
        "One-off pilot projects chosen by the regional development council.",
        {2000: 40_000, 2001: 40_000, 2002: 40_000, 2003: 40_000, 2004: 45_000, 2005: 45_000},
        last_year=2005,
    ),
]

# Health and social services organizations' mission funding in 2000.
HEALTH_BASE = {
    "sante-mentale-chicoutimi": 182_000,
    "sante-mentale-trois-rivieres": 164_000,
    "passerelle": 236_000,
    "aines-levis": 96_000,
    "cab-becancour": 71_000,
    "aide-domicile-mitis": 84_000,
}

# Autonomous community organizations' global mission funding in 2000; the money cut
# from health is shared among them in these proportions.
MISSION_BASE = {
    "femmes-montreal-nord": 98_000,
    "femmes-rouyn": 76_000,
    "famille-laval": 112_000,
    "famille-haut-richelieu": 84_000,
    "accueil-outaouais": 131_000,
    "familles-chibougamau": 62_000,
    "mdj-rimouski": 71_000,
    "personnes-handicapees-drummond": 88_000,
    "droits-sociaux-mauricie": 67_000,
}

# Service agreements (the demo catalogue's): provider → (yearly amount, first and last
# fiscal year).
AGREEMENT_AMOUNTS = {
    "sante-haut-richelieu": (410_000, 2000, 2005),
    "benevolat-saint-jean": (58_000, 2000, 2002),
}

PROJECT_ALLOCATIONS = [
    AllocationSpec(PROJECTS, "action-environnement-abitibi", 2000, 24_000,
                   starts_on=date(2000, 9, 1), ends_on=date(2001, 6, 30)),
    AllocationSpec(PROJECTS, "transport-abitibi-ouest", 2001, 35_000,
                   starts_on=date(2001, 10, 1), ends_on=date(2002, 9, 30)),
    AllocationSpec(PROJECTS, "cpe-bourgeons", 2002, 18_000, starts_on=date(2002, 8, 15)),
    AllocationSpec(PROJECTS, "femmes-rouyn", 2003, 22_000, MoneyOrigin.REALLOCATED,
                   from_sector=HEALTH_SECTOR, starts_on=date(2003, 9, 1),
                   ends_on=date(2004, 3, 31)),
    AllocationSpec(PROJECTS, "action-environnement-abitibi", 2004, 27_500,
                   starts_on=date(2004, 5, 1), ends_on=date(2005, 3, 31)),
    AllocationSpec(PROJECTS, "femmes-rouyn", 2004, 15_000, MoneyOrigin.REALLOCATED,
                   from_sector=HEALTH_SECTOR, starts_on=date(2004, 9, 1),
                   ends_on=date(2005, 3, 31)),
    AllocationSpec(PROJECTS, "transport-abitibi-ouest", 2005, 30_000,
                   starts_on=date(2005, 6, 1), status=AllocationStatus.APPROVED),
    AllocationSpec(PROJECTS, "cpe-bourgeons", 2005, 21_000, status=AllocationStatus.DRAFT,
                   notes="Awaiting the council's decision."),
    AllocationSpec(PROJECTS, "femmes-rouyn", 2005, 19_000, MoneyOrigin.REALLOCATED,
                   from_sector=HEALTH_SECTOR, status=AllocationStatus.DRAFT,
                   notes="Awaiting the council's decision."),
]  # fmt: skip

# Allocations approved but not yet published: (programme, organization, year).
APPROVED = {
    (AGREEMENTS, "sante-haut-richelieu", 2005),
    (MISSION, "familles-chibougamau", 2005),
    (MISSION, "mdj-rimouski", 2005),
}

SERVICE_LOADS = [
    LoadSpec("sante-mentale-chicoutimi", 310, 9_400, 25, 0.06),
    LoadSpec("sante-mentale-trois-rivieres", 280, 8_100, 18, 0.05),
    LoadSpec("passerelle", 140, 21_000, 12, 0.04),
    LoadSpec("aines-levis", 420, 6_300, 30, 0.07),
    LoadSpec("cab-becancour", 260, 4_800, 10, 0.05),
    LoadSpec("aide-domicile-mitis", 190, 15_200, 22, 0.08),
    LoadSpec("sante-haut-richelieu", 21_000, 38_000, 900, 0.06),
    LoadSpec("femmes-montreal-nord", 520, 7_800, None, 0.08),
    LoadSpec("famille-laval", 610, 9_900, 35, 0.09),
    LoadSpec("accueil-outaouais", 880, 12_400, 60, 0.08),
    LoadSpec("mdj-rimouski", 350, 5_200, None, 0.07),
    LoadSpec("personnes-handicapees-drummond", 290, 6_600, 15, 0.08),
    LoadSpec("droits-sociaux-mauricie", 740, 3_900, None, 0.09),
]


def _round(amount: float) -> int:
    """To the hundred dollars, as budgets are written."""
    return int(round(amount, -2))


def _fiscal_dates(year: int) -> tuple[datetime.date, datetime.date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def health_allocation(base: int, year: int) -> int:
    return _round(base * (1 - HEALTH_CUT_PER_YEAR * (year - FIRST_YEAR)))


def health_cut(year: int) -> int:
    """What the health programme gives less than in 2000: the money moved that year."""
    return sum(base - health_allocation(base, year) for base in HEALTH_BASE.values())


def _status(programme: str, organization: str, year: int) -> str:
    if (programme, organization, year) in APPROVED:
        return AllocationStatus.APPROVED
    return AllocationStatus.PUBLISHED


def _health() -> list[AllocationSpec]:
    return [
        AllocationSpec(HEALTH, key, year, health_allocation(base, year))
        for key, base in HEALTH_BASE.items()
        for year in YEARS
    ]


def _mission() -> list[AllocationSpec]:
    """Indexed new money every year; from 2001, each organization's share of the money
    cut from health that year."""
    total = sum(MISSION_BASE.values())
    allocations = []
    for year in YEARS:
        cut = health_cut(year)
        for key, base in MISSION_BASE.items():
            allocations.append(
                AllocationSpec(
                    MISSION,
                    key,
                    year,
                    _round(base * (1 + INDEXATION_PER_YEAR * (year - FIRST_YEAR))),
                    status=_status(MISSION, key, year),
                )
            )
            if cut:
                allocations.append(
                    AllocationSpec(
                        MISSION,
                        key,
                        year,
                        _round(cut * base / total),
                        MoneyOrigin.REALLOCATED,
                        from_programme=HEALTH,
                        from_sector=HEALTH_SECTOR,
                        status=_status(MISSION, key, year),
                        notes="Reinvestment of the health and social services cut.",
                    )
                )
    return allocations


def _agreements() -> list[AllocationSpec]:
    return [
        AllocationSpec(
            AGREEMENTS,
            key,
            year,
            amount,
            starts_on=_fiscal_dates(year)[0],
            ends_on=_fiscal_dates(year)[1],
            status=_status(AGREEMENTS, key, year),
        )
        for key, (amount, first, last) in AGREEMENT_AMOUNTS.items()
        for year in range(first, last + 1)
    ]


def allocations() -> list[AllocationSpec]:
    return _health() + _mission() + _agreements() + PROJECT_ALLOCATIONS


def service_loads() -> list[tuple[str, int, int, int, int | None]]:
    """(organization, fiscal year, people served, service hours, waiting list)."""
    return [
        (
            spec.organization,
            year,
            round(spec.people * (1 + spec.growth) ** (year - FIRST_YEAR)),
            round(spec.hours * (1 + spec.growth) ** (year - FIRST_YEAR)),
            None
            if spec.waiting is None
            else round(spec.waiting * (1 + 2 * spec.growth) ** (year - FIRST_YEAR)),
        )
        for spec in SERVICE_LOADS
        for year in YEARS
    ]
