"""What a plausible organization looks like, for the factories (`concertation.factories`):
the kinds of organizations the sector is made of (a women's centre, a housing
co-operative, a regional roundtable…) with their name patterns, classification and
sizes, the places they are in and the words of their names.

Plain data and one naming rule, so that `generate_demo`'s large catalogues and the tests
draw from the same description.
"""

import datetime
from dataclasses import dataclass

from organizations.models import (
    AssessmentOutcome,
    CooperativeType,
    MemberCategoryKind,
    MembershipRole,
    OrganizationKind,
)

LAST_DAY = datetime.date(2024, 12, 31)  # no synthetic date after it

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

WEIGHTS = [profile.weight for profile in PROFILES]

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
# Members of a solidarity co-operative's categories other than its users (whose number
# is the profile's members).
SOLIDARITY_CATEGORY_SIZES = {
    MemberCategoryKind.WORKER: (3, 60),
    MemberCategoryKind.SUPPORTING: (5, 250),
}


def french_of(town: str) -> str:
    """The French "of" before a place name: de Rimouski, d'Amos, du Bic, des Îles."""
    if town.startswith("Les "):
        return f"des {town[4:]}"
    if town.startswith("Le "):
        return f"du {town[3:]}"
    if town[0] in "AEIOUÉÈÎ":
        return f"d'{town}"
    return f"de {town}"
