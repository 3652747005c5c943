"""Demo organizations drawn from the domain: Quebec's community sector, co-operatives
delivering public services, coalitions and the government bodies they deal with."""

from django.utils.text import slugify

from .models import Organization, OrganizationKind, Region, Sector

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
    regions = {region.code: region for region in Region.objects.all()}
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    organizations = []
    for name, kind, sector, region, summary_en, summary_fr in ORGANIZATIONS:
        organization = Organization.objects.create(
            name=name,
            slug=slugify(name),
            kind=kind,
            cooperative_type="consumer" if kind == OrganizationKind.COOPERATIVE else "",
            region=regions[region],
            summary_en=summary_en,
            summary_fr=summary_fr,
        )
        organization.sectors.set([sectors[sector]])
        organizations.append(organization)
    return organizations
