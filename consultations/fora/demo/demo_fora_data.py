"""The demo fora as tables: the roundtables, coalitions and intermediary structures where
the demo organizations sit, their seats, who held each seat, and how often they meet.

Holders are demo organizations named by their key in `organizations/demo/keys.csv`. Term
dates are months before the day the demo is loaded (so the burden window always has
meetings in it), except for fora of the story, whose dates are the sources'. The
figures are tuned so that, with the default settings, exactly two organizations come
out overloaded, each by one rule: a regional table by its number of seats, a national
advocacy coalition by its burden index. `consultations.fora.demo.demo_fora` loads them.
"""

import datetime
from dataclasses import dataclass

from ..models import ForumKind, ForumLevel, SeatDesignation

date = datetime.date
L = ForumLevel
K = ForumKind


@dataclass(frozen=True)
class Support:
    """What comes with a seat: CAD per meeting, release hours per month."""

    per_diem: int = 0
    travel: int = 0
    release_hours: int = 0


NONE = Support()
PER_DIEM = Support(per_diem=150)
TRAVEL = Support(travel=120)
PER_DIEM_AND_TRAVEL = Support(per_diem=150, travel=120)
RELEASE = Support(release_hours=8)  # an official attends on paid time


@dataclass(frozen=True)
class Term:
    """A holder of a seat. `since` and `until` are months before today (or dates); left
    out, they are the forum's own start and end."""

    holder: str
    delegate: str = ""
    since: int | datetime.date | None = None
    until: int | datetime.date | None = None


@dataclass(frozen=True)
class SeatSpec:
    label: str
    designation: str
    code: str = ""  # the sector or constituency the seat is designated for
    support: Support = NONE
    terms: tuple[Term, ...] = ()  # oldest first; none: never filled


@dataclass(frozen=True)
class Cadence:
    """How a forum meets: meetings a year, hours each, the return travel time of an
    in-person meeting, and the share held online."""

    per_year: int
    hours: float
    travel: float
    online: float


@dataclass(frozen=True)
class ForumSpec:
    slug: str
    name: str
    level: str
    kind: str
    convenor: str
    region: str | None
    sectors: tuple[str, ...]
    active_from: datetime.date
    cadence: Cadence
    seats: tuple[SeatSpec, ...]
    description: str = ""
    active_until: datetime.date | None = None


def sector(label: str, code: str, support: Support, *terms: Term) -> SeatSpec:
    return SeatSpec(label, SeatDesignation.SECTOR, code, support, terms)


def constituency(label: str, code: str, support: Support, *terms: Term) -> SeatSpec:
    return SeatSpec(label, SeatDesignation.CONSTITUENCY, code, support, terms)


def government(label: str, *terms: Term) -> SeatSpec:
    return SeatSpec(label, SeatDesignation.GOVERNMENT, "", RELEASE, terms)


# The delegates the demo organizations send (invented).
CTROC = ("ctroc", "Lucie Bergeron")
DROITS = ("reseau-droits", "Marc-André Pelletier")
FEMMES = ("rq-centres-femmes", "Josée Lavoie")
TROC_ABITIBI = ("troc-abitibi", "Mélanie Richard")
SACA = ("saca", "Hélène Tremblay")
CRD = ("crd-abitibi", "Nicole Lachance")
ROUYN = ("femmes-rouyn", "Annie Poirier")


def held(who: tuple[str, str], since=None, until=None) -> Term:
    return Term(who[0], who[1], since, until)


NATIONAL = [
    ForumSpec(
        "table-nationale-action-communautaire",
        "Table nationale de concertation sur l'action communautaire",
        L.NATIONAL,
        K.GOVERNMENT_TABLE,
        "saca",
        "qc",
        ("community-action",),
        date(2002, 1, 15),
        Cadence(10, 5, 5, 0.3),
        (
            government("Secrétariat à l'action communautaire autonome", held(SACA, 48)),
            sector(
                "Tables régionales d'organismes communautaires",
                "community-action",
                PER_DIEM_AND_TRAVEL,
                held(CTROC, 60),
            ),
            # Advocacy groups come to the table at their own expense.
            sector("Défense collective des droits", "rights-defence", NONE, held(DROITS, 60)),
            constituency(
                "Femmes",
                "women",
                TRAVEL,
                held(FEMMES, 72, 14),
                Term("femmes-montreal-nord", "Nadia Benali", 14),
            ),
            constituency(
                "Familles", "families", TRAVEL, Term("famille-laval", "Geneviève Roy", 30)
            ),
            sector(
                "Comité aviseur",
                "community-action",
                PER_DIEM_AND_TRAVEL,
                Term("comite-aviseur", "Denis Côté", 60),
            ),
            # Left eight months ago, reassessing its participation; not filled since.
            constituency(
                "Personnes immigrantes",
                "immigrants",
                NONE,
                Term("accueil-outaouais", "Samuel Okafor", 48, 8),
            ),
            sector(
                "Économie sociale",
                "employment",
                PER_DIEM,
                Term("conseil-cooperation", "Pierre Gagnon", 36),
            ),
        ),
        "The government-convened table where the secretariat meets the sector on the "
        "policy's follow-up; called by the secretariat, which pays the community seats' "
        "costs, except for advocacy groups.",
    ),
    ForumSpec(
        "comite-aviseur-action-communautaire-autonome",
        "Comité aviseur de l'action communautaire autonome",
        L.NATIONAL,
        K.ADVISORY_COMMITTEE,
        "comite-aviseur",
        "qc",
        ("community-action",),
        date(1995, 9, 1),
        Cadence(10, 5, 5, 0.3),
        (
            sector("Tables régionales", "community-action", TRAVEL, held(CTROC, 60)),
            sector("Défense collective des droits", "rights-defence", NONE, held(DROITS, 60)),
            constituency("Centres de femmes", "women", TRAVEL, held(FEMMES, 60)),
            sector(
                "Santé et services sociaux",
                "health-social",
                TRAVEL,
                Term("roc-estrie", "Chantal Fortin", 40),
            ),
            sector(
                "Éducation populaire",
                "education",
                TRAVEL,
                Term("alpha-sherbrooke", "François Lemieux", 50, 20),
                Term("droits-sociaux-mauricie", "Isabelle Girard", 20),
            ),
            government("Observateur gouvernemental", held(SACA, 48)),
        ),
        "The advisory committee created in 1995, made of representatives of the "
        "different subsectors; part of its mandate was to help push forward the policy "
        "of recognition and support. It had not seen a version of the policy until its "
        "public announcement in 1999.",
    ),
    ForumSpec(
        "groupe-de-travail-partenariat-1998",
        "Groupe de travail sur le partenariat (1998)",
        L.NATIONAL,
        K.WORKING_GROUP,
        "mss",
        "qc",
        ("community-action",),
        date(1998, 3, 1),
        Cadence(12, 4, 5, 0),
        (
            government("Ministère de la Solidarité sociale", Term("mss", "Robert Paquette")),
            government("Secrétariat à l'action communautaire autonome", held(SACA)),
            sector("Tables régionales", "community-action", TRAVEL, held(CTROC)),
            sector("Défense collective des droits", "rights-defence", TRAVEL, held(DROITS)),
            constituency("Femmes", "women", TRAVEL, held(FEMMES)),
            sector(
                "Comité aviseur", "community-action", TRAVEL, Term("comite-aviseur", "Denis Côté")
            ),
        ),
        "Ministry and sector representatives meant to frame the partnership. Government "
        "had a clear idea of the relationship it wanted, centred on service provision; "
        "the sector's representatives felt they were there to be sold it. Abolished "
        "after six months of discussions without progress towards a policy framework.",
        active_until=date(1998, 9, 1),
    ),
    ForumSpec(
        "table-regroupements-nationaux",
        "Table des regroupements nationaux d'organismes communautaires",
        L.NATIONAL,
        K.SECTOR_TABLE,
        "ctroc",
        "qc",
        ("community-action",),
        date(1996, 5, 1),
        Cadence(6, 3, 5, 0.5),
        (
            sector("Tables régionales", "community-action", NONE, held(CTROC, 60)),
            sector("Défense collective des droits", "rights-defence", NONE, held(DROITS, 60)),
            constituency("Centres de femmes", "women", NONE, held(FEMMES, 60)),
            sector("Régions éloignées", "community-action", NONE, held(TROC_ABITIBI, 30)),
            constituency(
                "Personnes handicapées",
                "disabilities",
                NONE,
                Term("droits-handicap-cote-nord", "Yves Bouchard", 24),
            ),
        ),
        "The sector's own table of national groupings: no support, every seat at the "
        "organization's expense.",
    ),
    ForumSpec(
        "comite-suivi-mission-globale",
        "Comité de suivi du financement à la mission globale",
        L.NATIONAL,
        K.GOVERNMENT_TABLE,
        "saca",
        "qc",
        ("community-action",),
        date(2003, 4, 1),
        Cadence(4, 3, 5, 0.5),
        (
            government("Secrétariat à l'action communautaire autonome", held(SACA, 48)),
            sector("Tables régionales", "community-action", PER_DIEM, held(CTROC, 48)),
            sector("Défense collective des droits", "rights-defence", NONE, held(DROITS, 48)),
            sector("Mutuelles", "finance", NONE, Term("mutuelle-assurance-oc", "Sylvie Dubé", 36)),
        ),
        "Follows core funding for the global mission, allocated through the secretariat.",
    ),
    ForumSpec(
        "comite-interministeriel-defense-droits",
        "Comité interministériel sur la défense collective des droits",
        L.NATIONAL,
        K.GOVERNMENT_TABLE,
        "mss",
        "qc",
        ("rights-defence",),
        date(2002, 6, 1),
        Cadence(12, 6, 6, 0.2),
        (
            # The ministry convenes; the secretariat sits for the government.
            government("Secrétariat à l'action communautaire autonome", held(SACA, 40)),
            sector("Défense collective des droits", "rights-defence", NONE, held(DROITS, 48)),
            constituency(
                "Droits sociaux",
                "low-income",
                TRAVEL,
                Term("droits-sociaux-mauricie", "Isabelle Girard", 30),
            ),
            constituency(
                "Locataires",
                "tenants",
                NONE,
                Term("locataires-sherbrooke", "Marie-Ève Boucher", 40, 6),
            ),
        ),
        "The ministries and advocacy groups on the policy's special provisions for "
        "advocacy organizations; a full day in Quebec City every month.",
    ),
]

MULTISECTORAL = [
    ForumSpec(
        "table-economie-sociale",
        "Table multisectorielle de l'économie sociale et de l'action communautaire",
        L.MULTISECTORAL,
        K.SECTOR_TABLE,
        "conseil-cooperation",
        "qc",
        ("employment", "community-action"),
        date(1997, 10, 1),
        Cadence(4, 4, 5, 0.5),
        (
            sector(
                "Coopération", "employment", NONE, Term("conseil-cooperation", "Pierre Gagnon", 36)
            ),
            sector("Action communautaire autonome", "community-action", NONE, held(CTROC, 36)),
            sector(
                "Coopératives de santé",
                "primary-care",
                NONE,
                Term("reseau-coop-sante", "Julie Ouellet", 30),
            ),
            constituency(
                "Travailleuses et travailleurs",
                "workers",
                NONE,
                Term("ressourcerie-outaouais", "Kevin Morin", 24),
            ),
            sector(
                "Finance solidaire",
                "finance",
                NONE,
                Term("caisse-hautes-laurentides", "Claude Hébert", 60, 16),
                Term("mutuelle-assurance-oc", "Sylvie Dubé", 16),
            ),
            government("Gouvernement", held(SACA, 36)),
        ),
        "Co-operatives, mutuals and community organizations across sectors.",
    ),
    ForumSpec(
        "forum-developpement-social-abitibi",
        "Forum régional de développement social de l'Abitibi-Témiscamingue",
        L.MULTISECTORAL,
        K.GOVERNMENT_TABLE,
        "crd-abitibi",
        "qc-08",
        ("community-action", "health-social"),
        date(1999, 11, 1),
        Cadence(6, 5, 4, 0.5),
        (
            government("Conseil régional de développement", held(CRD, 40)),
            sector("Organismes communautaires", "community-action", NONE, held(TROC_ABITIBI, 40)),
            constituency("Condition féminine", "women", NONE, held(ROUYN, 30)),
            constituency("Familles", "families", NONE, Term("cpe-bourgeons", "Martine Caron", 30)),
            sector(
                "Transport collectif",
                "transit",
                TRAVEL,
                Term("transport-abitibi-ouest", "Luc Bélanger", 24),
            ),
            constituency("Jeunes", "youth", NONE),  # never filled
        ),
        "Convened by the regional development council with every sector of the region.",
    ),
]

REGIONAL = [
    ForumSpec(
        "regie-monteregie-conseil",
        "Conseil d'administration de la Régie régionale de la santé et des services "
        "sociaux de la Montérégie",
        L.REGIONAL,
        K.HEALTH_BOARD,
        "regie-monteregie",
        "qc-16",
        ("health-social",),
        date(1992, 10, 1),
        Cadence(10, 3, 2, 0.3),
        (
            government("Régie régionale", Term("regie-monteregie", "Paul Lévesque", 48)),
            sector(
                "Organismes communautaires — santé et services sociaux",
                "health-social",
                PER_DIEM_AND_TRAVEL,
                Term("cdc-haut-richelieu", "Émilie Desjardins", 36),
            ),
            constituency(
                "Organismes communautaires — familles",
                "families",
                PER_DIEM_AND_TRAVEL,
                Term("benevolat-saint-jean", "Jacques Leblanc", 60, 10),
                Term("famille-haut-richelieu", "Catherine Martel", 10),
            ),
            sector(
                "Économie sociale en santé",
                "primary-care",
                PER_DIEM,
                Term("sante-haut-richelieu", "Sophie Nadeau", 40),
            ),
            constituency(
                "Personnes aînées",
                "seniors",
                PER_DIEM_AND_TRAVEL,
                Term("benevolat-saint-jean", "Jacques Leblanc", 10),
            ),
        ),
        "The regional health and social services board: it plans the region's services "
        "and funds community health organizations; community seats on its board.",
    ),
    ForumSpec(
        "crd-abitibi-conseil",
        "Conseil d'administration du Conseil régional de développement de l'Abitibi-Témiscamingue",
        L.REGIONAL,
        K.DEVELOPMENT_COUNCIL,
        "crd-abitibi",
        "qc-08",
        ("community-action",),
        date(1993, 4, 1),
        Cadence(6, 4, 4, 0.4),
        (
            government("Conseil régional de développement", held(CRD, 40)),
            sector("Organismes communautaires", "community-action", TRAVEL, held(TROC_ABITIBI, 40)),
            sector(
                "Environnement",
                "environment",
                TRAVEL,
                Term("action-environnement-abitibi", "Olivier Gauthier", 30),
            ),
            sector(
                "Services de garde", "child-care", NONE, Term("cpe-bourgeons", "Martine Caron", 30)
            ),
            constituency("Jeunes", "youth", TRAVEL),  # never filled
        ),
        "The regional development council: regional planning and development funds, "
        "with seats for the community sector; a vast region, long drives.",
    ),
    ForumSpec(
        "table-condition-feminine-abitibi",
        "Table de concertation en condition féminine de l'Abitibi-Témiscamingue",
        L.REGIONAL,
        K.SECTOR_TABLE,
        "femmes-rouyn",
        "qc-08",
        ("community-action",),
        date(2001, 3, 8),
        Cadence(6, 3, 3, 0.5),
        (
            constituency("Centres de femmes", "women", NONE, held(ROUYN, 30)),
            sector("Organismes communautaires", "community-action", NONE, held(TROC_ABITIBI, 30)),
            constituency("Femmes autochtones", "indigenous", NONE),  # never filled
        ),
    ),
    ForumSpec(
        "table-sante-mentale-saguenay",
        "Table régionale de concertation en santé mentale du Saguenay–Lac-Saint-Jean",
        L.REGIONAL,
        K.SECTOR_TABLE,
        "troc-saguenay",
        "qc-02",
        ("mental-health",),
        date(1998, 9, 15),
        Cadence(6, 3, 2, 0.4),
        (
            sector(
                "Table régionale",
                "community-action",
                NONE,
                Term("troc-saguenay", "Valérie Simard", 36),
            ),
            sector(
                "Santé mentale",
                "mental-health",
                NONE,
                Term("sante-mentale-chicoutimi", "Patrick Harvey", 36),
            ),
            constituency(
                "Locataires", "tenants", NONE, Term("logement-saguenay", "Karine Tremblay", 24)
            ),
        ),
    ),
    ForumSpec(
        "table-habitation-estrie",
        "Table régionale de concertation en habitation de l'Estrie",
        L.REGIONAL,
        K.SECTOR_TABLE,
        "roc-estrie",
        "qc-05",
        ("housing",),
        date(2000, 2, 1),
        Cadence(5, 2.5, 1.5, 0.4),
        (
            sector(
                "Regroupement régional",
                "community-action",
                NONE,
                Term("roc-estrie", "Chantal Fortin", 40),
            ),
            constituency(
                "Locataires",
                "tenants",
                NONE,
                Term("locataires-sherbrooke", "Marie-Ève Boucher", 40),
            ),
            constituency("Jeunes", "youth", NONE, Term("mdj-magog", "Alexandre Roy", 20)),
            constituency(
                "Personnes aînées",
                "seniors",
                NONE,
                Term("townships-seniors", "Margaret Wilson", 36),
            ),
        ),
    ),
]

LOCAL = [
    ForumSpec(
        "cld-rouyn-noranda",
        "Centre local de développement de Rouyn-Noranda",
        L.LOCAL,
        K.LOCAL_DEVELOPMENT_CENTRE,
        "crd-abitibi",
        "qc-08",
        ("community-action", "employment"),
        date(1998, 4, 1),
        Cadence(10, 2.5, 1, 0.2),
        (
            government("Développement régional", held(CRD, 40)),
            sector("Organismes communautaires", "community-action", NONE, held(TROC_ABITIBI, 40)),
            constituency("Femmes", "women", NONE, held(ROUYN, 30)),
            sector(
                "Environnement",
                "environment",
                NONE,
                Term("action-environnement-abitibi", "Olivier Gauthier", 30),
            ),
        ),
        "The local development centre: local development funds and support to social "
        "economy enterprises.",
    ),
    ForumSpec(
        "cld-abitibi-ouest",
        "Centre local de développement d'Abitibi-Ouest",
        L.LOCAL,
        K.LOCAL_DEVELOPMENT_CENTRE,
        "crd-abitibi",
        "qc-08",
        ("community-action", "transit"),
        date(1998, 4, 1),
        Cadence(10, 2.5, 3, 0.3),
        (
            government("Développement régional", held(CRD, 40)),
            sector("Organismes communautaires", "community-action", NONE, held(TROC_ABITIBI, 40)),
            sector(
                "Économie sociale",
                "transit",
                NONE,
                Term("transport-abitibi-ouest", "Luc Bélanger", 24),
            ),
            constituency("Jeunes", "youth", NONE),  # never filled
        ),
    ),
    ForumSpec(
        "table-concertation-haut-richelieu",
        "Table de concertation communautaire du Haut-Richelieu",
        L.LOCAL,
        K.SECTOR_TABLE,
        "cdc-haut-richelieu",
        "qc-16",
        ("community-action",),
        date(1996, 9, 1),
        Cadence(10, 2, 0.5, 0.2),
        (
            sector(
                "Développement communautaire",
                "community-action",
                NONE,
                Term("cdc-haut-richelieu", "Émilie Desjardins", 48),
            ),
            constituency(
                "Familles", "families", NONE, Term("famille-haut-richelieu", "Catherine Martel", 36)
            ),
            constituency(
                "Personnes aînées",
                "seniors",
                NONE,
                Term("benevolat-saint-jean", "Jacques Leblanc", 36),
            ),
            sector(
                "Santé de première ligne",
                "primary-care",
                NONE,
                Term("sante-haut-richelieu", "Sophie Nadeau", 30),
            ),
        ),
    ),
    ForumSpec(
        "table-quartier-hochelaga",
        "Table de quartier Hochelaga-Maisonneuve",
        L.LOCAL,
        K.SECTOR_TABLE,
        "cuisines-hochelaga",
        "qc-06",
        ("food-security", "housing"),
        date(2000, 9, 1),
        Cadence(10, 2, 0.5, 0.1),
        (
            sector(
                "Sécurité alimentaire",
                "food-security",
                NONE,
                Term("cuisines-hochelaga", "Roxanne Bélisle", 36),
            ),
            sector(
                "Logement coopératif",
                "housing",
                NONE,
                Term("habitation-les-cedres", "Guy Deschênes", 30),
            ),
        ),
    ),
]

FORA = NATIONAL + MULTISECTORAL + REGIONAL + LOCAL

# The share of meetings a holder attends; the rest are recorded as missed.
ATTENDANCE_RATE = 0.9
SEED = 1995
