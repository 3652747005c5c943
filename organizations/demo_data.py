"""The demo catalogue as tables: organizations, coalition memberships, service
agreements and autonomy assessments, drawn from the domain's source texts.

Government bodies and a few long-standing national groupings carry the names of the
period the sources describe (around 2000); the other organizations are illustrative.
Every figure, date and assessment is invented for the demo. Codes (regions, sectors,
constituencies, fields of activity, autonomy criteria) are those seeded by
`organizations/migrations/0002_seed_taxonomies.py`. `organizations.demo` loads them.
"""

import datetime
from dataclasses import dataclass, field

from .models import AssessmentOutcome, CooperativeType, MembershipRole, OrganizationKind

date = datetime.date

K = OrganizationKind
C = CooperativeType
R = MembershipRole
MET = AssessmentOutcome.MET
NOT_MET = AssessmentOutcome.NOT_MET
UNKNOWN = AssessmentOutcome.UNKNOWN

QC_COOPERATIVES_ACT = "Loi sur les coopératives (RLRQ, c. C-67.2)"
QC_FINANCIAL_COOPERATIVES_ACT = "Loi des syndicats coopératifs de Québec (1906)"
QC_COMPANIES_ACT_PART_III = "Loi sur les compagnies, partie III (RLRQ, c. C-38)"
ON_COOPERATIVES_ACT = "Co-operative Corporations Act (R.S.O. 1990, c. C.35)"


@dataclass(frozen=True)
class Incorporation:
    act: str
    jurisdiction: str  # a region code: "qc", "on"…
    on: datetime.date
    share_capital: bool | None = None  # co-operatives: with (equity) or without (debt)


@dataclass(frozen=True)
class Org:
    """One organization. `regions_served` defaults to the head-office region; a
    solidarity co-operative's `member_categories` (worker, user, supporting) also give
    its member count."""

    key: str
    name: str
    kind: str
    region: str
    sectors: tuple[str, ...]
    summary_en: str
    summary_fr: str
    cooperative_type: str = ""
    legal_name: str = ""
    regions_served: tuple[str, ...] = ()
    constituencies: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    founded: int | None = None
    staff: float | None = None
    members: int | None = None
    member_categories: tuple[int, int, int] | None = None
    incorporation: Incorporation | None = None
    share_capital: int | None = None
    gross_revenue: int | None = None
    assets: int | None = None
    english: bool = False
    french: bool = True
    other_languages: str = ""


GOVERNMENT_BODIES = [
    Org(
        "saca",
        "Secrétariat à l'action communautaire autonome",
        K.GOVERNMENT,
        "qc-03",
        ("community-action",),
        "The government secretariat for autonomous community action: it allocates core "
        "funding for the global mission of autonomous community organizations and "
        "assesses their autonomy.",
        "Le secrétariat gouvernemental à l'action communautaire autonome : il répartit le "
        "financement de la mission globale des organismes communautaires autonomes et "
        "évalue leur autonomie.",
        regions_served=("qc",),
        fields=("community-development", "representation"),
        founded=1995,
        staff=22,
    ),
    Org(
        "mss",
        "Ministère de la Solidarité sociale",
        K.GOVERNMENT,
        "qc-03",
        ("community-action", "employment"),
        "The ministry leading the policy on recognition and support of community action; "
        "its minister launched the public consultation of 2000.",
        "Le ministère responsable de la politique de reconnaissance et de soutien de "
        "l'action communautaire; son ministre a lancé la consultation publique de 2000.",
        regions_served=("qc",),
        fields=("community-development",),
        founded=1998,
    ),
    Org(
        "regie-monteregie",
        "Régie régionale de la santé et des services sociaux de la Montérégie",
        K.GOVERNMENT,
        "qc-16",
        ("health-social",),
        "The regional health and social services board of Montérégie: it plans regional "
        "services, funds community health organizations and contracts with providers.",
        "La régie régionale de la santé et des services sociaux de la Montérégie : elle "
        "planifie les services de la région, finance des organismes communautaires en "
        "santé et contracte avec des prestataires.",
        fields=("representation",),
        founded=1992,
        staff=310,
    ),
    Org(
        "crd-abitibi",
        "Conseil régional de développement de l'Abitibi-Témiscamingue",
        K.GOVERNMENT,
        "qc-08",
        ("community-action",),
        "The regional development council: a consultation body where elected officials "
        "and the region's sectors set development priorities and fund pilot projects.",
        "Le conseil régional de développement : une instance de concertation où élus et "
        "secteurs de la région fixent les priorités de développement et financent des "
        "projets pilotes.",
        fields=("community-development", "representation"),
        founded=1985,
        staff=14,
    ),
    Org(
        "shq",
        "Société d'habitation du Québec",
        K.GOVERNMENT,
        "qc-03",
        ("housing",),
        "The government's housing agency: social housing programmes and rent supplements, "
        "including for housing co-operatives.",
        "L'organisme gouvernemental de l'habitation : programmes de logement social et de "
        "supplément au loyer, notamment dans les coopératives d'habitation.",
        regions_served=("qc",),
        fields=("services",),
        founded=1967,
    ),
    Org(
        "mrc-beauce-sartigan",
        "MRC de Beauce-Sartigan",
        K.GOVERNMENT,
        "qc-12",
        ("utilities",),
        "A regional county municipality grouping sixteen municipalities; it buys shared "
        "informatics services for them.",
        "Une municipalité régionale de comté regroupant seize municipalités; elle achète "
        "pour elles des services informatiques communs.",
        legal_name="Municipalité régionale de comté de Beauce-Sartigan",
        fields=("services",),
        founded=1982,
        staff=35,
    ),
    Org(
        "ontario-energy",
        "Ministry of Energy (Ontario)",
        K.GOVERNMENT,
        "on",
        ("utilities",),
        "The Ontario ministry responsible for electricity policy, including distribution "
        "to rural households by co-operatives.",
        "Le ministère ontarien responsable de la politique de l'électricité, y compris la "
        "distribution aux ménages ruraux par des coopératives.",
        legal_name="Ministère de l'Énergie de l'Ontario",
        fields=("services",),
        english=True,
    ),
]

COALITIONS = [
    Org(
        "comite-aviseur",
        "Comité aviseur de l'action communautaire autonome",
        K.COALITION,
        "qc-06",
        ("community-action",),
        "The advisory committee created in 1995 by national groupings of autonomous "
        "community action to speak with the government on the recognition policy; it had "
        "not seen the first draft before its public announcement.",
        "Le comité aviseur créé en 1995 par les regroupements nationaux de l'action "
        "communautaire autonome pour porter leur voix auprès du gouvernement sur la "
        "politique de reconnaissance; il n'avait pas vu le premier projet avant son "
        "annonce publique.",
        regions_served=("qc",),
        fields=("representation", "advocacy"),
        founded=1995,
        staff=3,
        members=20,
    ),
    Org(
        "ctroc",
        "Coalition des tables régionales d'organismes communautaires",
        K.COALITION,
        "qc-03",
        ("community-action", "health-social"),
        "A national coalition of the regional roundtables of community organizations.",
        "Coalition nationale des tables régionales d'organismes communautaires.",
        regions_served=("qc",),
        fields=("representation", "advocacy"),
        founded=1993,
        staff=2,
        members=14,
    ),
    Org(
        "roc-estrie",
        "Regroupement des organismes communautaires de l'Estrie",
        K.COALITION,
        "qc-05",
        ("community-action",),
        "A regional coalition of autonomous community organizations of the Eastern "
        "Townships; it sits for them at the regional health board.",
        "Regroupement régional d'organismes communautaires autonomes de l'Estrie; il les "
        "représente auprès de la régie régionale.",
        fields=("representation",),
        founded=1988,
        staff=3.5,
        members=140,
        english=True,
    ),
    Org(
        "troc-abitibi",
        "Table régionale des organismes communautaires de l'Abitibi-Témiscamingue",
        K.COALITION,
        "qc-08",
        ("community-action",),
        "The regional roundtable of community organizations of Abitibi-Témiscamingue.",
        "La table régionale des organismes communautaires de l'Abitibi-Témiscamingue.",
        regions_served=("qc-08", "qc-10"),
        fields=("representation",),
        founded=1990,
        staff=2,
        members=85,
    ),
    Org(
        "troc-saguenay",
        "Table régionale des organismes communautaires du Saguenay–Lac-Saint-Jean",
        K.COALITION,
        "qc-02",
        ("community-action",),
        "The regional roundtable of community organizations of Saguenay–Lac-Saint-Jean.",
        "La table régionale des organismes communautaires du Saguenay–Lac-Saint-Jean.",
        fields=("representation",),
        founded=1989,
        staff=2.6,
        members=120,
    ),
    Org(
        "cdc-haut-richelieu",
        "Corporation de développement communautaire du Haut-Richelieu",
        K.COALITION,
        "qc-16",
        ("community-action",),
        "A local, multi-sectoral grouping of community organizations working together on "
        "the development of the Haut-Richelieu.",
        "Regroupement local et multisectoriel d'organismes communautaires qui travaillent "
        "ensemble au développement du Haut-Richelieu.",
        fields=("community-development", "representation"),
        founded=1996,
        staff=4,
        members=48,
    ),
    Org(
        "rq-centres-femmes",
        "Regroupement québécois des centres de femmes",
        K.COALITION,
        "qc-06",
        ("community-action",),
        "A national grouping of women's centres, organized along a constituency.",
        "Regroupement national de centres de femmes, organisé autour d'une clientèle.",
        regions_served=("qc",),
        constituencies=("women",),
        fields=("representation", "advocacy"),
        founded=1985,
        staff=6,
        members=95,
    ),
    Org(
        "reseau-droits",
        "Réseau québécois des groupes de défense collective des droits",
        K.COALITION,
        "qc-06",
        ("rights-defence", "community-action"),
        "A national network of advocacy groups, for which the policy makes special provisions.",
        "Réseau national de groupes de défense collective des droits, pour lesquels la "
        "politique prévoit des dispositions particulières.",
        regions_served=("qc",),
        fields=("advocacy", "representation"),
        founded=1997,
        staff=2,
        members=70,
    ),
    Org(
        "reseau-coop-sante",
        "Réseau des coopératives de santé du Québec",
        K.COALITION,
        "qc-03",
        ("health-social", "primary-care"),
        "A sectoral network of health co-operatives, most of them solidarity "
        "co-operatives running primary care clinics.",
        "Réseau sectoriel de coopératives de santé, pour la plupart des coopératives de "
        "solidarité qui exploitent des cliniques de première ligne.",
        regions_served=("qc",),
        fields=("representation",),
        founded=2000,
        staff=1.5,
        members=27,
    ),
    Org(
        "conseil-cooperation",
        "Conseil de la coopération des régions du Québec",
        K.COALITION,
        "qc-03",
        ("employment", "finance"),
        "An umbrella body of co-operatives and mutuals of every type across Quebec; it "
        "promotes co-operative development and cooperation among co-operatives.",
        "Regroupement de coopératives et de mutuelles de tous types au Québec; il promeut "
        "le développement coopératif et l'intercoopération.",
        regions_served=("qc",),
        fields=("representation", "social-economy"),
        founded=1985,
        staff=9,
        members=310,
    ),
    Org(
        "coop-council-eastern-ontario",
        "Co-operative Council of Eastern Ontario",
        K.COALITION,
        "on",
        ("utilities", "food-security", "housing"),
        "A regional council of co-operatives in Eastern Ontario, from utilities to food "
        "buying clubs; it helps new co-operatives incorporate.",
        "Conseil régional des coopératives de l'Est ontarien, des services publics aux "
        "clubs d'achat alimentaire; il aide les nouvelles coopératives à se constituer.",
        fields=("representation", "social-economy"),
        founded=1990,
        staff=2,
        members=64,
        english=True,
    ),
]

AUTONOMOUS_COMMUNITY_ORGANIZATIONS = [
    Org(
        "femmes-montreal-nord",
        "Centre des femmes de Montréal-Nord",
        K.AUTONOMOUS_COMMUNITY,
        "qc-06",
        ("community-action",),
        "An autonomous community organization by and for women: mutual aid, popular "
        "education and advocacy.",
        "Organisme communautaire autonome par et pour les femmes : entraide, éducation "
        "populaire et défense des droits.",
        constituencies=("women", "immigrants"),
        fields=("mutual-aid", "popular-education", "advocacy"),
        founded=1982,
        staff=4.5,
        members=210,
        english=True,
        other_languages="créole haïtien, espagnol",
    ),
    Org(
        "femmes-rouyn",
        "Centre de femmes Entre-Elles de Rouyn-Noranda",
        K.AUTONOMOUS_COMMUNITY,
        "qc-08",
        ("community-action",),
        "A women's centre offering a meeting place, workshops and collective action.",
        "Centre de femmes offrant un lieu de rencontre, des ateliers et de l'action collective.",
        constituencies=("women",),
        fields=("mutual-aid", "popular-education"),
        founded=1984,
        staff=3,
        members=160,
    ),
    Org(
        "action-environnement-abitibi",
        "Action environnement Abitibi",
        K.AUTONOMOUS_COMMUNITY,
        "qc-08",
        ("environment",),
        "A citizen-based environmental group working on the social economy of recycling.",
        "Groupe environnemental citoyen œuvrant dans l'économie sociale du recyclage.",
        regions_served=("qc-08", "qc-10"),
        fields=("popular-education", "social-economy"),
        founded=1989,
        staff=6,
        members=95,
    ),
    Org(
        "mdj-rimouski",
        "Maison des jeunes L'Escale de Rimouski",
        K.AUTONOMOUS_COMMUNITY,
        "qc-01",
        ("leisure", "community-action"),
        "A youth centre where teenagers run activities and learn to take part in their community.",
        "Une maison des jeunes où les adolescents organisent leurs activités et "
        "apprennent à prendre leur place dans la communauté.",
        constituencies=("youth",),
        fields=("services", "popular-education"),
        founded=1981,
        staff=3,
        members=40,
    ),
    Org(
        "mdj-magog",
        "Maison des jeunes de Magog",
        K.AUTONOMOUS_COMMUNITY,
        "qc-05",
        ("leisure",),
        "A youth centre for 12- to 17-year-olds of Magog and the surrounding area.",
        "Une maison des jeunes pour les 12 à 17 ans de Magog et des environs.",
        constituencies=("youth",),
        fields=("services",),
        founded=1986,
        staff=2.5,
        members=35,
    ),
    Org(
        "alpha-sherbrooke",
        "Carrefour d'alphabétisation populaire de Sherbrooke",
        K.AUTONOMOUS_COMMUNITY,
        "qc-05",
        ("education",),
        "Popular literacy: adults learn to read and write in small groups and act together "
        "on what affects them.",
        "Alphabétisation populaire : des adultes apprennent à lire et à écrire en petits "
        "groupes et agissent ensemble sur ce qui les touche.",
        constituencies=("low-income", "immigrants"),
        fields=("popular-education",),
        founded=1983,
        staff=5,
        members=120,
    ),
    Org(
        "cuisines-hochelaga",
        "Cuisines collectives d'Hochelaga-Maisonneuve",
        K.AUTONOMOUS_COMMUNITY,
        "qc-06",
        ("food-security",),
        "Collective kitchens: families cook together, lower their food costs and organize "
        "around food security.",
        "Cuisines collectives : des familles cuisinent ensemble, réduisent le coût de leur "
        "alimentation et s'organisent autour de la sécurité alimentaire.",
        constituencies=("low-income", "families"),
        fields=("mutual-aid", "popular-education"),
        founded=1987,
        staff=4,
        members=300,
    ),
    Org(
        "sante-mentale-chicoutimi",
        "Groupe d'entraide en santé mentale L'Arc-en-ciel de Chicoutimi",
        K.AUTONOMOUS_COMMUNITY,
        "qc-02",
        ("mental-health",),
        "Peer support for people living with mental health problems, and defence of their rights.",
        "Entraide entre pairs pour les personnes vivant avec un problème de santé mentale, "
        "et défense de leurs droits.",
        constituencies=("disabilities",),
        fields=("mutual-aid", "advocacy"),
        founded=1990,
        staff=5,
        members=140,
    ),
    Org(
        "sante-mentale-trois-rivieres",
        "Ressource alternative en santé mentale Le Pavillon de Trois-Rivières",
        K.AUTONOMOUS_COMMUNITY,
        "qc-04",
        ("mental-health",),
        "An alternative mental health resource offering crisis support and a day centre.",
        "Une ressource alternative en santé mentale offrant du soutien en situation de "
        "crise et un centre de jour.",
        constituencies=("disabilities",),
        fields=("services", "mutual-aid"),
        founded=1988,
        staff=11,
        members=80,
    ),
    Org(
        "famille-laval",
        "Maison de la famille de Laval",
        K.AUTONOMOUS_COMMUNITY,
        "qc-13",
        ("community-action", "child-care"),
        "A family resource centre: parenting workshops, respite and a drop-in for parents "
        "of young children.",
        "Un organisme communautaire famille : ateliers parents-enfants, répit et halte "
        "pour les parents de jeunes enfants.",
        constituencies=("families",),
        fields=("services", "mutual-aid"),
        founded=1992,
        staff=7,
        members=250,
        english=True,
    ),
    Org(
        "famille-haut-richelieu",
        "Maison de la famille du Haut-Richelieu",
        K.AUTONOMOUS_COMMUNITY,
        "qc-16",
        ("community-action",),
        "A family resource centre in Saint-Jean-sur-Richelieu.",
        "Un organisme communautaire famille à Saint-Jean-sur-Richelieu.",
        constituencies=("families",),
        fields=("services", "mutual-aid"),
        founded=1994,
        staff=5,
        members=180,
    ),
    Org(
        "accueil-outaouais",
        "Centre d'accueil des personnes immigrantes de l'Outaouais",
        K.AUTONOMOUS_COMMUNITY,
        "qc-07",
        ("community-action", "employment"),
        "Welcomes immigrants and refugees to the Outaouais: settlement, French classes, "
        "employment and defence of rights.",
        "Accueille les personnes immigrantes et réfugiées en Outaouais : installation, "
        "francisation, emploi et défense des droits.",
        constituencies=("immigrants",),
        fields=("services", "advocacy"),
        founded=1991,
        staff=14,
        members=90,
        english=True,
        other_languages="espagnol, arabe, swahili",
    ),
    Org(
        "entraide-autochtone-sept-iles",
        "Cercle d'entraide autochtone de Sept-Îles",
        K.AUTONOMOUS_COMMUNITY,
        "qc-09",
        ("community-action", "health-social"),
        "A gathering place and support services for Indigenous people living in the city.",
        "Un lieu de rassemblement et des services de soutien pour les Autochtones vivant en ville.",
        constituencies=("indigenous",),
        fields=("services", "mutual-aid"),
        founded=1997,
        staff=6,
        members=130,
        english=True,
        other_languages="innu-aimun",
    ),
    Org(
        "familles-chibougamau",
        "Maison des familles de Chibougamau",
        K.AUTONOMOUS_COMMUNITY,
        "qc-10",
        ("community-action",),
        "A family centre serving Chibougamau, Chapais and the neighbouring Cree communities.",
        "Un organisme famille au service de Chibougamau, de Chapais et des communautés "
        "cries voisines.",
        constituencies=("families", "indigenous"),
        fields=("services", "mutual-aid"),
        founded=1999,
        staff=3,
        members=75,
        english=True,
        other_languages="cri (eeyou)",
    ),
    Org(
        "loisirs-gaspe",
        "Centre communautaire de loisirs de la Côte-de-Gaspé",
        K.AUTONOMOUS_COMMUNITY,
        "qc-11",
        ("leisure",),
        "Community leisure for all ages, run by volunteers across a rural area.",
        "Loisirs communautaires pour tous les âges, animés par des bénévoles sur un "
        "territoire rural.",
        constituencies=("seniors", "youth"),
        fields=("services",),
        founded=1978,
        staff=2,
        members=310,
    ),
    Org(
        "comptoir-sainte-therese",
        "Comptoir alimentaire de Sainte-Thérèse",
        K.AUTONOMOUS_COMMUNITY,
        "qc-15",
        ("food-security",),
        "Emergency food aid and a community grocery run with the people it serves.",
        "Dépannage alimentaire et épicerie communautaire gérés avec les personnes desservies.",
        constituencies=("low-income",),
        fields=("services", "mutual-aid"),
        founded=1993,
        staff=3.5,
        members=60,
    ),
    Org(
        "passerelle",
        "Maison d'hébergement La Passerelle",
        K.AUTONOMOUS_COMMUNITY,
        "qc-12",
        ("health-social", "housing"),
        "A shelter for women victims of conjugal violence and their children.",
        "Une maison d'hébergement pour femmes victimes de violence conjugale et leurs enfants.",
        constituencies=("women", "families"),
        fields=("services", "advocacy"),
        founded=1980,
        staff=12,
        members=45,
    ),
    Org(
        "aines-levis",
        "Centre d'entraide aux aînés de Lévis",
        K.AUTONOMOUS_COMMUNITY,
        "qc-12",
        ("home-care",),
        "Volunteers help seniors stay at home: visits, errands and phone calls.",
        "Des bénévoles aident les aînés à demeurer à domicile : visites, courses et appels.",
        constituencies=("seniors",),
        fields=("services", "mutual-aid"),
        founded=1985,
        staff=4,
        members=220,
    ),
    Org(
        "personnes-handicapees-drummond",
        "Association des personnes handicapées de la région de Drummondville",
        K.AUTONOMOUS_COMMUNITY,
        "qc-17",
        ("leisure", "community-action"),
        "Leisure, mutual aid and representation for people with disabilities.",
        "Loisirs, entraide et représentation pour les personnes handicapées.",
        constituencies=("disabilities",),
        fields=("services", "representation"),
        founded=1977,
        staff=3,
        members=180,
    ),
    Org(
        "atelier-culturel-saint-jerome",
        "Atelier culturel jeunesse de Saint-Jérôme",
        K.AUTONOMOUS_COMMUNITY,
        "qc-15",
        ("culture",),
        "Theatre, music and video workshops created with young people.",
        "Ateliers de théâtre, de musique et de vidéo créés avec les jeunes.",
        constituencies=("youth",),
        fields=("popular-education",),
        founded=1995,
        staff=2,
        members=55,
    ),
]

ADVOCACY_ORGANIZATIONS = [
    Org(
        "logement-saguenay",
        "Comité logement Saguenay",
        K.ADVOCACY,
        "qc-02",
        ("housing", "rights-defence"),
        "An advocacy group defending tenants' rights and pressing for social housing.",
        "Groupe de défense collective des droits des locataires qui revendique du logement social.",
        constituencies=("tenants", "low-income"),
        fields=("advocacy", "popular-education"),
        founded=1979,
        staff=2,
        members=260,
    ),
    Org(
        "locataires-sherbrooke",
        "Association des locataires de Sherbrooke",
        K.ADVOCACY,
        "qc-05",
        ("housing", "rights-defence"),
        "Informs tenants of their rights and helps them defend them together.",
        "Informe les locataires de leurs droits et les aide à les défendre collectivement.",
        constituencies=("tenants",),
        fields=("advocacy",),
        founded=1978,
        staff=3,
        members=450,
        english=True,
    ),
    Org(
        "droits-sociaux-mauricie",
        "Association pour la défense des droits sociaux de la Mauricie",
        K.ADVOCACY,
        "qc-04",
        ("rights-defence",),
        "Defends the rights of people on social assistance and campaigns against poverty.",
        "Défend les droits des personnes assistées sociales et lutte contre la pauvreté.",
        constituencies=("low-income",),
        fields=("advocacy", "popular-education"),
        founded=1976,
        staff=2.5,
        members=190,
    ),
    Org(
        "droits-handicap-cote-nord",
        "Regroupement pour la défense des droits des personnes handicapées de la Côte-Nord",
        K.ADVOCACY,
        "qc-09",
        ("rights-defence",),
        "Defends the rights of people with disabilities along the North Shore.",
        "Défend les droits des personnes handicapées sur la Côte-Nord.",
        constituencies=("disabilities",),
        fields=("advocacy", "representation"),
        founded=1986,
        staff=2,
        members=70,
    ),
    Org(
        "action-chomage-laval",
        "Mouvement action-chômage de Laval",
        K.ADVOCACY,
        "qc-13",
        ("employment", "rights-defence"),
        "Helps unemployed workers with their claims and campaigns on employment insurance.",
        "Accompagne les chômeurs dans leurs recours et milite sur l'assurance-emploi.",
        constituencies=("workers",),
        fields=("advocacy",),
        founded=1983,
        staff=3,
        members=400,
        english=True,
    ),
    Org(
        "tenants-eastern-ontario",
        "Eastern Ontario Tenants' Network",
        K.ADVOCACY,
        "on",
        ("housing", "rights-defence"),
        "A network of tenant associations defending tenants' rights in Eastern Ontario.",
        "Un réseau d'associations de locataires qui défend leurs droits dans l'Est ontarien.",
        constituencies=("tenants",),
        fields=("advocacy", "representation"),
        founded=2004,
        staff=1.5,
        members=85,
        english=True,
    ),
]

OTHER_COMMUNITY_ORGANIZATIONS = [
    Org(
        "cpe-bourgeons",
        "Centre de la petite enfance Les Bourgeons",
        K.COMMUNITY,
        "qc-08",
        ("child-care",),
        "A non-profit child care centre run by a board of parents.",
        "Centre de la petite enfance sans but lucratif administré par des parents.",
        constituencies=("families",),
        fields=("services",),
        founded=1998,
        staff=18,
        members=62,
    ),
    Org(
        "cje-matawinie",
        "Carrefour jeunesse-emploi de la Matawinie",
        K.COMMUNITY,
        "qc-14",
        ("employment",),
        "Helps young adults find work, return to school or start a project.",
        "Aide les jeunes adultes à trouver un emploi, à retourner aux études ou à lancer "
        "un projet.",
        constituencies=("youth",),
        fields=("services",),
        founded=1996,
        staff=9,
        members=25,
    ),
    Org(
        "cab-becancour",
        "Centre d'action bénévole de la MRC de Bécancour",
        K.COMMUNITY,
        "qc-17",
        ("home-care",),
        "Volunteer services for seniors: meals on wheels, transport to appointments.",
        "Services bénévoles aux aînés : popote roulante, accompagnement aux rendez-vous.",
        constituencies=("seniors",),
        fields=("services",),
        founded=1984,
        staff=4,
        members=150,
    ),
    Org(
        "benevolat-saint-jean",
        "Centre de bénévolat de Saint-Jean-sur-Richelieu",
        K.COMMUNITY,
        "qc-16",
        ("home-care",),
        "Home support by volunteers: meals on wheels, escorted transport, friendly visits.",
        "Soutien à domicile par des bénévoles : popote roulante, accompagnement-transport, "
        "visites d'amitié.",
        constituencies=("seniors", "disabilities"),
        fields=("services",),
        founded=1975,
        staff=8,
        members=400,
    ),
    Org(
        "age-or-chicoutimi",
        "Club de l'âge d'or de Chicoutimi-Nord",
        K.COMMUNITY,
        "qc-02",
        ("leisure",),
        "A seniors' club: cards, dances, outings and mutual help.",
        "Un club d'aînés : cartes, danses, sorties et entraide.",
        constituencies=("seniors",),
        fields=("mutual-aid",),
        founded=1972,
        staff=0,
        members=380,
    ),
    Org(
        "townships-seniors",
        "Townships Seniors' Network",
        K.COMMUNITY,
        "qc-05",
        ("home-care", "leisure"),
        "Services and activities in English for seniors of the Eastern Townships.",
        "Services et activités en anglais pour les aînés des Cantons-de-l'Est.",
        constituencies=("seniors",),
        fields=("services", "mutual-aid"),
        founded=2001,
        staff=2,
        members=240,
        english=True,
    ),
]

MUTUALS = [
    Org(
        "mutuelle-assurance-oc",
        "Mutuelle d'assurance des organismes communautaires du Québec",
        K.MUTUAL,
        "qc-03",
        ("finance",),
        "A mutual insuring community organizations' premises, volunteers and directors.",
        "Une mutuelle qui assure les locaux, les bénévoles et les administrateurs des "
        "organismes communautaires.",
        regions_served=("qc",),
        fields=("services",),
        founded=1999,
        staff=7,
        members=1450,
    ),
    Org(
        "mutuelle-formation-mauricie",
        "Mutuelle de formation des organismes communautaires de la Mauricie",
        K.MUTUAL,
        "qc-04",
        ("employment", "education"),
        "A training mutual: member organizations pool their training budgets for their "
        "staff and boards.",
        "Une mutuelle de formation : les organismes membres mettent en commun leurs "
        "budgets de formation pour leur personnel et leurs conseils.",
        regions_served=("qc-04", "qc-17"),
        fields=("services", "popular-education"),
        founded=2002,
        staff=1.5,
        members=64,
    ),
]

COOPERATIVES = [
    Org(
        "sante-haut-richelieu",
        "Coopérative de solidarité santé du Haut-Richelieu",
        K.COOPERATIVE,
        "qc-16",
        ("primary-care", "health-social"),
        "A solidarity co-operative running a primary care clinic for 28,000 patients; "
        "worker, user and supporting members share its governance.",
        "Coopérative de solidarité qui exploite une clinique de première ligne pour "
        "28 000 patients; membres travailleurs, utilisateurs et de soutien en partagent "
        "la gouvernance.",
        cooperative_type=C.SOLIDARITY,
        constituencies=("families", "seniors"),
        fields=("services", "social-economy"),
        founded=1998,
        staff=38.5,
        member_categories=(14, 4620, 216),
        incorporation=Incorporation(QC_COOPERATIVES_ACT, "qc", date(1998, 3, 12), True),
        share_capital=242_500,
        gross_revenue=3_900_000,
        assets=1_850_000,
    ),
    Org(
        "aide-domicile-mitis",
        "Coopérative de solidarité en aide à domicile de La Mitis",
        K.COOPERATIVE,
        "qc-01",
        ("home-care",),
        "A solidarity co-operative providing housekeeping and respite at home for seniors "
        "and people with disabilities.",
        "Coopérative de solidarité offrant l'aide domestique et du répit à domicile aux "
        "aînés et aux personnes handicapées.",
        cooperative_type=C.SOLIDARITY,
        constituencies=("seniors", "disabilities"),
        fields=("services", "social-economy"),
        founded=1997,
        staff=46,
        member_categories=(52, 1180, 61),
        incorporation=Incorporation(QC_COOPERATIVES_ACT, "qc", date(1997, 6, 20), True),
        share_capital=38_600,
        gross_revenue=1_650_000,
        assets=420_000,
    ),
    Org(
        "alimentaire-iles",
        "Coopérative de solidarité alimentaire des Îles",
        K.COOPERATIVE,
        "qc-11",
        ("food-security", "fair-trade"),
        "A solidarity co-operative grocery on the Magdalen Islands, buying from local "
        "producers and fair-trade suppliers.",
        "Épicerie coopérative de solidarité aux Îles-de-la-Madeleine, qui achète des "
        "producteurs locaux et du commerce équitable.",
        cooperative_type=C.SOLIDARITY,
        constituencies=("families",),
        fields=("social-economy",),
        founded=2003,
        staff=9,
        member_categories=(9, 640, 37),
        incorporation=Incorporation(QC_COOPERATIVES_ACT, "qc", date(2003, 4, 2), True),
        share_capital=41_000,
        gross_revenue=2_300_000,
        assets=610_000,
    ),
    Org(
        "habitation-les-cedres",
        "Coopérative d'habitation Les Cèdres",
        K.COOPERATIVE,
        "qc-06",
        ("housing",),
        "A housing co-operative of 48 units; one member, one vote.",
        "Coopérative d'habitation de 48 logements; un membre, un vote.",
        cooperative_type=C.HOUSING,
        constituencies=("tenants", "families", "low-income"),
        fields=("mutual-aid",),
        founded=1982,
        staff=0.5,
        members=92,
        incorporation=Incorporation(QC_COOPERATIVES_ACT, "qc", date(1982, 10, 4), True),
        share_capital=4_600,
        gross_revenue=412_000,
        assets=3_150_000,
    ),
    Org(
        "ontario-rural-electric",
        "Ontario Rural Electric Co-operative",
        K.COOPERATIVE,
        "on",
        ("utilities",),
        "A utility co-operative distributing electricity to about 150,000 rural "
        "households, owned by the households it serves.",
        "Coopérative d'électricité qui dessert environ 150 000 ménages ruraux, propriété "
        "des ménages qu'elle dessert.",
        cooperative_type=C.CONSUMER,
        legal_name="Ontario Rural Electric Co-operative Inc.",
        fields=("services",),
        founded=1947,
        staff=210,
        members=148_000,
        incorporation=Incorporation(ON_COOPERATIVES_ACT, "on", date(1947, 6, 2), True),
        share_capital=7_400_000,
        gross_revenue=182_000_000,
        assets=410_000_000,
        english=True,
    ),
    Org(
        "informatique-municipale-beauce",
        "Coopérative informatique municipale de Beauce",
        K.COOPERATIVE,
        "qc-12",
        ("municipal-it", "utilities"),
        "A co-operative owned by sixteen municipalities; it develops and runs their "
        "accounting, taxation and permit software.",
        "Coopérative dont seize municipalités sont membres; elle développe et exploite "
        "leurs logiciels de comptabilité, de taxation et de permis.",
        cooperative_type=C.CONSUMER,
        fields=("services", "social-economy"),
        founded=1994,
        staff=11,
        members=16,
        incorporation=Incorporation(QC_COOPERATIVES_ACT, "qc", date(1994, 9, 15), True),
        share_capital=80_000,
        gross_revenue=1_200_000,
        assets=540_000,
    ),
    Org(
        "ressourcerie-outaouais",
        "Coopérative de travail La Ressourcerie de l'Outaouais",
        K.COOPERATIVE,
        "qc-07",
        ("environment", "employment"),
        "A worker co-operative collecting, repairing and reselling furniture and appliances.",
        "Coopérative de travail qui récupère, répare et revend meubles et électroménagers.",
        cooperative_type=C.WORKER,
        constituencies=("workers",),
        fields=("social-economy",),
        founded=1996,
        staff=18,
        members=14,
        incorporation=Incorporation(QC_COOPERATIVES_ACT, "qc", date(1996, 2, 28), True),
        share_capital=14_000,
        gross_revenue=950_000,
        assets=310_000,
    ),
    Org(
        "forestiere-haut-saint-maurice",
        "Coopérative forestière du Haut-Saint-Maurice",
        K.COOPERATIVE,
        "qc-04",
        ("environment", "employment"),
        "A co-operative of forestry workers and woodlot owners doing silviculture and harvesting.",
        "Coopérative de travailleurs forestiers et de propriétaires de boisés qui fait de "
        "la sylviculture et de la récolte.",
        cooperative_type=C.PRODUCER,
        constituencies=("workers",),
        fields=("social-economy",),
        founded=1985,
        staff=120,
        members=95,
        incorporation=Incorporation(QC_COOPERATIVES_ACT, "qc", date(1985, 5, 7), True),
        share_capital=610_000,
        gross_revenue=14_500_000,
        assets=8_200_000,
    ),
    Org(
        "caisse-hautes-laurentides",
        "Caisse populaire des Hautes-Laurentides",
        K.COOPERATIVE,
        "qc-15",
        ("finance",),
        "A financial services co-operative: its depositors are its owners, one member, one vote.",
        "Coopérative de services financiers : ses déposants en sont les propriétaires, un "
        "membre, une voix.",
        cooperative_type=C.FINANCIAL,
        fields=("services",),
        founded=1938,
        staff=58,
        members=21_400,
        incorporation=Incorporation(QC_FINANCIAL_COOPERATIVES_ACT, "qc", date(1938, 11, 20), True),
        share_capital=3_200_000,
        gross_revenue=24_000_000,
        assets=480_000_000,
    ),
    Org(
        "transport-abitibi-ouest",
        "Coopérative de transport collectif de l'Abitibi-Ouest",
        K.COOPERATIVE,
        "qc-08",
        ("transit",),
        "A user co-operative running rural bus and shared-taxi service between villages.",
        "Coopérative d'usagers qui exploite un service rural d'autobus et de taxi "
        "collectif entre les villages.",
        cooperative_type=C.CONSUMER,
        constituencies=("seniors", "low-income"),
        fields=("services",),
        founded=2000,
        staff=6,
        members=420,
        incorporation=Incorporation(QC_COOPERATIVES_ACT, "qc", date(2000, 5, 10), True),
        share_capital=8_400,
        gross_revenue=310_000,
        assets=190_000,
    ),
    Org(
        "torrefaction-equitable",
        "Coopérative de torréfaction équitable La Maison du Grain",
        K.COOPERATIVE,
        "qc-03",
        ("fair-trade",),
        "A worker co-operative roasting fair-trade coffee bought from producer co-operatives.",
        "Coopérative de travail qui torréfie du café équitable acheté à des coopératives "
        "de producteurs.",
        cooperative_type=C.WORKER,
        constituencies=("workers",),
        fields=("social-economy",),
        founded=2001,
        staff=7,
        members=9,
        incorporation=Incorporation(QC_COOPERATIVES_ACT, "qc", date(2001, 8, 30), True),
        share_capital=12_500,
        gross_revenue=880_000,
        assets=260_000,
    ),
    Org(
        "westboro-food-buying",
        "Westboro Food Buying Co-operative",
        K.COOPERATIVE,
        "on",
        ("food-security",),
        "A small buying club: twelve households order in bulk together, with volunteer "
        "labour and no middleman.",
        "Un petit club d'achat : douze ménages commandent ensemble en gros, avec du "
        "travail bénévole et sans intermédiaire.",
        cooperative_type=C.CONSUMER,
        constituencies=("families", "low-income"),
        fields=("mutual-aid",),
        founded=2015,
        staff=0,
        members=12,
        incorporation=Incorporation(ON_COOPERATIVES_ACT, "on", date(2015, 9, 1), False),
        gross_revenue=38_000,
        assets=9_500,
        english=True,
        french=False,
    ),
    Org(
        "cjs-rimouski",
        "Coopérative jeunesse de services de Rimouski",
        K.COOPERATIVE,
        "qc-01",
        ("employment",),
        "A summer youth co-operative: teenagers run their own business doing odd jobs "
        "for households.",
        "Une coopérative jeunesse de services : des adolescents gèrent leur entreprise "
        "d'été et offrent des menus travaux aux ménages.",
        cooperative_type=C.WORKER,
        constituencies=("youth",),
        fields=("social-economy", "popular-education"),
        founded=2009,
        staff=0.6,
        members=14,
        incorporation=Incorporation(QC_COOPERATIVES_ACT, "qc", date(2009, 5, 25), True),
        share_capital=140,
        gross_revenue=18_500,
        assets=4_200,
    ),
]

ORGANIZATIONS = [
    *GOVERNMENT_BODIES,
    *COALITIONS,
    *AUTONOMOUS_COMMUNITY_ORGANIZATIONS,
    *ADVOCACY_ORGANIZATIONS,
    *OTHER_COMMUNITY_ORGANIZATIONS,
    *MUTUALS,
    *COOPERATIVES,
]

# member, coalition, role, start, end (None: current)
MEMBERSHIPS = [
    ("ctroc", "comite-aviseur", R.FOUNDING_MEMBER, date(1995, 3, 1), None),
    ("rq-centres-femmes", "comite-aviseur", R.FOUNDING_MEMBER, date(1995, 3, 1), None),
    ("reseau-droits", "comite-aviseur", R.MEMBER, date(1997, 11, 15), None),
    ("roc-estrie", "ctroc", R.FOUNDING_MEMBER, date(1993, 6, 1), None),
    ("troc-abitibi", "ctroc", R.FOUNDING_MEMBER, date(1993, 6, 1), None),
    ("troc-saguenay", "ctroc", R.MEMBER, date(1994, 9, 1), date(2006, 6, 30)),
    ("troc-saguenay", "ctroc", R.BOARD_MEMBER, date(2011, 1, 15), None),
    ("alpha-sherbrooke", "roc-estrie", R.BOARD_MEMBER, date(1989, 9, 1), None),
    ("mdj-magog", "roc-estrie", R.MEMBER, date(1991, 5, 1), None),
    ("locataires-sherbrooke", "roc-estrie", R.MEMBER, date(1990, 1, 1), None),
    ("townships-seniors", "roc-estrie", R.ASSOCIATE, date(2003, 4, 1), None),
    ("action-environnement-abitibi", "troc-abitibi", R.MEMBER, date(1992, 10, 1), None),
    ("femmes-rouyn", "troc-abitibi", R.BOARD_MEMBER, date(1990, 9, 1), None),
    ("familles-chibougamau", "troc-abitibi", R.MEMBER, date(2000, 2, 1), None),
    ("cpe-bourgeons", "troc-abitibi", R.ASSOCIATE, date(1999, 1, 1), date(2012, 3, 31)),
    ("transport-abitibi-ouest", "troc-abitibi", R.OBSERVER, date(2001, 2, 1), None),
    ("logement-saguenay", "troc-saguenay", R.FOUNDING_MEMBER, date(1989, 4, 1), None),
    ("sante-mentale-chicoutimi", "troc-saguenay", R.MEMBER, date(1992, 3, 1), None),
    ("age-or-chicoutimi", "troc-saguenay", R.OBSERVER, date(1995, 1, 1), date(2001, 12, 31)),
    ("famille-haut-richelieu", "cdc-haut-richelieu", R.FOUNDING_MEMBER, date(1996, 5, 1), None),
    ("benevolat-saint-jean", "cdc-haut-richelieu", R.MEMBER, date(1996, 5, 1), None),
    ("sante-haut-richelieu", "cdc-haut-richelieu", R.ASSOCIATE, date(1999, 10, 1), None),
    ("femmes-montreal-nord", "rq-centres-femmes", R.MEMBER, date(1985, 6, 1), None),
    ("femmes-rouyn", "rq-centres-femmes", R.MEMBER, date(1986, 6, 1), None),
    ("passerelle", "rq-centres-femmes", R.ASSOCIATE, date(1992, 1, 1), date(2008, 6, 30)),
    ("logement-saguenay", "reseau-droits", R.MEMBER, date(1997, 11, 15), None),
    ("locataires-sherbrooke", "reseau-droits", R.BOARD_MEMBER, date(1997, 11, 15), None),
    ("droits-sociaux-mauricie", "reseau-droits", R.FOUNDING_MEMBER, date(1997, 11, 15), None),
    ("droits-handicap-cote-nord", "reseau-droits", R.MEMBER, date(1999, 3, 1), None),
    ("action-chomage-laval", "reseau-droits", R.MEMBER, date(1998, 2, 1), None),
    ("sante-haut-richelieu", "reseau-coop-sante", R.FOUNDING_MEMBER, date(2000, 11, 1), None),
    ("aide-domicile-mitis", "reseau-coop-sante", R.ASSOCIATE, date(2001, 5, 1), None),
    ("habitation-les-cedres", "conseil-cooperation", R.MEMBER, date(2001, 3, 1), None),
    ("informatique-municipale-beauce", "conseil-cooperation", R.MEMBER, date(1995, 1, 1), None),
    ("ressourcerie-outaouais", "conseil-cooperation", R.MEMBER, date(1997, 6, 1), None),
    (
        "forestiere-haut-saint-maurice",
        "conseil-cooperation",
        R.BOARD_MEMBER,
        date(1986, 1, 1),
        None,
    ),
    ("caisse-hautes-laurentides", "conseil-cooperation", R.FOUNDING_MEMBER, date(1985, 4, 1), None),
    ("transport-abitibi-ouest", "conseil-cooperation", R.MEMBER, date(2001, 1, 1), None),
    ("alimentaire-iles", "conseil-cooperation", R.MEMBER, date(2004, 1, 1), None),
    ("torrefaction-equitable", "conseil-cooperation", R.MEMBER, date(2002, 1, 1), None),
    ("cjs-rimouski", "conseil-cooperation", R.ASSOCIATE, date(2010, 6, 1), date(2015, 5, 31)),
    ("mutuelle-assurance-oc", "conseil-cooperation", R.MEMBER, date(2000, 1, 1), None),
    ("sante-haut-richelieu", "conseil-cooperation", R.MEMBER, date(1999, 1, 1), None),
    (
        "ontario-rural-electric",
        "coop-council-eastern-ontario",
        R.FOUNDING_MEMBER,
        date(1990, 4, 1),
        None,
    ),
    ("westboro-food-buying", "coop-council-eastern-ontario", R.MEMBER, date(2016, 2, 1), None),
    (
        "tenants-eastern-ontario",
        "coop-council-eastern-ontario",
        R.ASSOCIATE,
        date(2005, 1, 1),
        date(2014, 12, 31),
    ),
]

# government body, provider, service, population served, start, end (None: ongoing)
SERVICE_AGREEMENTS = [
    (
        "regie-monteregie",
        "sante-haut-richelieu",
        "Services médicaux de première ligne (clinique de médecine familiale)",
        28_000,
        date(1999, 9, 1),
        None,
    ),
    (
        "regie-monteregie",
        "benevolat-saint-jean",
        "Popote roulante et accompagnement-transport des aînés",
        1_200,
        date(2000, 4, 1),
        date(2003, 3, 31),
    ),
    (
        "shq",
        "habitation-les-cedres",
        "Programme de supplément au loyer (19 des 48 logements)",
        19,
        date(1986, 1, 1),
        None,
    ),
    (
        "mrc-beauce-sartigan",
        "informatique-municipale-beauce",
        "Logiciels de comptabilité, de taxation et de permis des 16 municipalités",
        52_300,
        date(1996, 1, 1),
        None,
    ),
    (
        "ontario-energy",
        "ontario-rural-electric",
        "Rural electricity distribution",
        150_000,
        date(1998, 11, 1),
        None,
    ),
    (
        "crd-abitibi",
        "transport-abitibi-ouest",
        "Transport collectif rural (projet pilote)",
        21_000,
        date(2000, 9, 1),
        date(2003, 8, 31),
    ),
]

CRITERIA = (
    "non-profit",
    "rooted",
    "democratic-life",
    "free-mission",
    "community-initiative",
    "social-transformation",
    "broad-action",
    "independent-board",
)
ALL_MET = dict.fromkeys(CRITERIA, MET)

# The evidence usually filed for a criterion found met.
EVIDENCE_MET = {
    "non-profit": "Lettres patentes (partie III de la Loi sur les compagnies) et derniers "
    "états financiers.",
    "rooted": "Membres et administrateurs issus du territoire desservi; partenariats "
    "locaux documentés.",
    "democratic-life": "Procès-verbal de la dernière assemblée générale annuelle; "
    "administrateurs élus par les membres.",
    "free-mission": "Mission et orientations adoptées par l'assemblée générale; aucune "
    "entente de financement ne les dicte.",
    "community-initiative": "Procès-verbal de fondation : organisme créé par un comité de "
    "citoyennes et de citoyens.",
    "social-transformation": "Plan d'action axé sur la transformation sociale et la lutte "
    "contre la pauvreté et l'exclusion.",
    "broad-action": "Approche globale : éducation populaire, action collective et services "
    "ouverts à toute la communauté.",
    "independent-board": "Règlements généraux : aucun siège du conseil réservé au réseau public.",
}
EVIDENCE_UNKNOWN = "Pièce justificative non fournie au moment de l'évaluation."


@dataclass(frozen=True)
class Review:
    """Assessments of some criteria of one organization on one day. Evidence defaults
    to the usual evidence for a criterion met; a criterion not met needs its own."""

    organization: str
    assessed_on: datetime.date
    outcomes: dict[str, str]
    evidence: dict[str, str] = field(default_factory=dict)


# In order: a later review of a criterion supersedes an earlier one (both are kept).
REVIEWS = [
    Review("femmes-montreal-nord", date(2003, 5, 14), ALL_MET),
    Review("alpha-sherbrooke", date(2003, 6, 2), ALL_MET),
    Review("logement-saguenay", date(2003, 9, 22), ALL_MET),
    Review("famille-laval", date(2002, 11, 4), ALL_MET),
    Review("cuisines-hochelaga", date(2004, 2, 10), ALL_MET),
    Review("droits-sociaux-mauricie", date(2005, 4, 18), ALL_MET),
    Review(
        "sante-mentale-chicoutimi",
        date(2004, 3, 15),
        ALL_MET | {"independent-board": NOT_MET},
        {
            "independent-board": "Deux sièges du conseil d'administration sont réservés au "
            "CLSC du territoire."
        },
    ),
    Review(
        "sante-mentale-chicoutimi",
        date(2009, 10, 5),
        {"independent-board": MET},
        {
            "independent-board": "Règlements généraux modifiés par l'assemblée de 2008 : "
            "les sièges réservés au CLSC sont abolis."
        },
    ),
    Review("action-environnement-abitibi", date(2010, 6, 7), ALL_MET),
    Review("entraide-autochtone-sept-iles", date(2021, 11, 8), ALL_MET),
    Review(
        "sante-mentale-trois-rivieres",
        date(2006, 5, 10),
        ALL_MET | {"independent-board": NOT_MET},
        {
            "independent-board": "La majorité des administrateurs sont désignés par "
            "l'établissement public partenaire."
        },
    ),
    Review(
        "cje-matawinie",
        date(2004, 6, 1),
        ALL_MET | {"community-initiative": NOT_MET, "free-mission": NOT_MET},
        {
            "community-initiative": "Créé dans le cadre d'une stratégie gouvernementale "
            "d'insertion des jeunes, et non à l'initiative du milieu.",
            "free-mission": "Mission et services fixés par l'entente de service avec le "
            "ministère responsable de l'emploi.",
        },
    ),
    Review(
        "cpe-bourgeons",
        date(2005, 3, 1),
        ALL_MET | {"free-mission": NOT_MET},
        {
            "free-mission": "Services, ratios et contribution parentale fixés par la loi "
            "et les règles budgétaires du ministère."
        },
    ),
    Review(
        "mdj-rimouski",
        date(2022, 4, 20),
        {
            "non-profit": MET,
            "rooted": MET,
            "democratic-life": UNKNOWN,
            "free-mission": MET,
            "community-initiative": MET,
        },
        {"democratic-life": "Procès-verbal de la dernière assemblée générale non fourni."},
    ),
    Review(
        "accueil-outaouais",
        date(2023, 2, 14),
        {"non-profit": MET, "rooted": MET, "democratic-life": MET, "free-mission": MET},
    ),
    Review(
        "familles-chibougamau",
        date(2024, 1, 30),
        {"non-profit": MET, "rooted": MET, "democratic-life": UNKNOWN, "broad-action": UNKNOWN},
    ),
    Review(
        "passerelle",
        date(2019, 9, 12),
        ALL_MET | {"independent-board": UNKNOWN},
        {"independent-board": "Composition du conseil à confirmer après l'assemblée de l'automne."},
    ),
]
