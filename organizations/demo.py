"""Demo organizations drawn from the domain: Quebec's community sector, co-operatives
delivering public services, coalitions and the government bodies they deal with."""

from django.utils.text import slugify

from .models import Organization, OrganizationKind, Region, Sector

REGIONS = [
    ("qc-03", "Capitale-Nationale", "Capitale-Nationale"),
    ("qc-06", "Montréal", "Montréal"),
    ("qc-05", "Estrie", "Estrie"),
    ("qc-02", "Saguenay–Lac-Saint-Jean", "Saguenay–Lac-Saint-Jean"),
    ("qc-08", "Abitibi-Témiscamingue", "Abitibi-Témiscamingue"),
    ("on", "Ontario", "Ontario"),
]

SECTORS = [
    ("health-social", "Health and social services", "Santé et services sociaux"),
    ("housing", "Housing", "Habitation"),
    ("child-care", "Child care", "Services de garde"),
    ("environment", "Environment", "Environnement"),
    ("utilities", "Utilities", "Services publics"),
    ("community-action", "Community action", "Action communautaire"),
]

# name, kind, sector, region, English summary, French summary
ORGANIZATIONS = [
    (
        "Coopérative de solidarité santé du Haut-Richelieu",
        OrganizationKind.COOPERATIVE,
        "health-social",
        "qc-05",
        "A multi-stakeholder solidarity co-operative running a health clinic; worker, user "
        "and supporting members share its governance.",
        "Coopérative de solidarité qui exploite une clinique de santé; membres travailleurs, "
        "utilisateurs et de soutien en partagent la gouvernance.",
    ),
    (
        "Regroupement des organismes communautaires de l'Estrie",
        OrganizationKind.COALITION,
        "community-action",
        "qc-05",
        "A regional coalition of autonomous community organizations.",
        "Regroupement régional d'organismes communautaires autonomes.",
    ),
    (
        "Coalition des tables régionales d'organismes communautaires",
        OrganizationKind.COALITION,
        "community-action",
        "qc-03",
        "A national coalition of regional roundtables of community organizations.",
        "Coalition nationale des tables régionales d'organismes communautaires.",
    ),
    (
        "Centre des femmes de Montréal-Nord",
        OrganizationKind.AUTONOMOUS_COMMUNITY,
        "community-action",
        "qc-06",
        "An autonomous community organization by and for women; advocacy and mutual aid.",
        "Organisme communautaire autonome par et pour les femmes; défense des droits et entraide.",
    ),
    (
        "Comité logement Saguenay",
        OrganizationKind.ADVOCACY,
        "housing",
        "qc-02",
        "An advocacy group defending tenants' rights.",
        "Groupe de défense collective des droits des locataires.",
    ),
    (
        "Coopérative d'habitation Les Cèdres",
        OrganizationKind.COOPERATIVE,
        "housing",
        "qc-06",
        "A housing co-operative of 48 units; one member, one vote.",
        "Coopérative d'habitation de 48 logements; un membre, un vote.",
    ),
    (
        "Centre de la petite enfance Les Bourgeons",
        OrganizationKind.COMMUNITY,
        "child-care",
        "qc-08",
        "A non-profit child care centre run by a board of parents.",
        "Centre de la petite enfance sans but lucratif administré par des parents.",
    ),
    (
        "Ontario Rural Electric Co-operative",
        OrganizationKind.COOPERATIVE,
        "utilities",
        "on",
        "A utility co-operative serving about 150,000 households.",
        "Coopérative d'électricité desservant environ 150 000 ménages.",
    ),
    (
        "Action environnement Abitibi",
        OrganizationKind.AUTONOMOUS_COMMUNITY,
        "environment",
        "qc-08",
        "A citizen-based environmental group working on the social economy of recycling.",
        "Groupe environnemental citoyen œuvrant dans l'économie sociale du recyclage.",
    ),
    (
        "Secrétariat à l'action communautaire autonome",
        OrganizationKind.GOVERNMENT,
        "community-action",
        "qc-03",
        "The secretariat that allocates funding for autonomous community action.",
        "Le secrétariat qui répartit le financement de l'action communautaire autonome.",
    ),
    (
        "Ministère de la Solidarité sociale",
        OrganizationKind.GOVERNMENT,
        "community-action",
        "qc-03",
        "The ministry leading the policy on recognition and support of community action.",
        "Le ministère responsable de la politique de reconnaissance et de soutien de l'action "
        "communautaire.",
    ),
]


def load_organizations() -> list[Organization]:
    regions = {
        code: Region.objects.get_or_create(code=code, defaults={"name_en": en, "name_fr": fr})[0]
        for code, en, fr in REGIONS
    }
    sectors = {
        code: Sector.objects.get_or_create(code=code, defaults={"name_en": en, "name_fr": fr})[0]
        for code, en, fr in SECTORS
    }
    return [
        Organization.objects.create(
            name=name,
            slug=slugify(name),
            kind=kind,
            sector=sectors[sector],
            region=regions[region],
            summary_en=summary_en,
            summary_fr=summary_fr,
        )
        for name, kind, sector, region, summary_en, summary_fr in ORGANIZATIONS
    ]
