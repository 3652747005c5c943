"""Seed the regions (Quebec's 17 administrative regions with their official numbers,
Canada's provinces and territories), a first set of sectors, constituencies and fields
of activity, and the autonomy criteria of the policy on community action. All remain
editable in the admin."""

from django.db import migrations

PROVINCES = [
    ("nl", "province", "Newfoundland and Labrador", "Terre-Neuve-et-Labrador"),
    ("pe", "province", "Prince Edward Island", "Île-du-Prince-Édouard"),
    ("ns", "province", "Nova Scotia", "Nouvelle-Écosse"),
    ("nb", "province", "New Brunswick", "Nouveau-Brunswick"),
    ("qc", "province", "Quebec", "Québec"),
    ("on", "province", "Ontario", "Ontario"),
    ("mb", "province", "Manitoba", "Manitoba"),
    ("sk", "province", "Saskatchewan", "Saskatchewan"),
    ("ab", "province", "Alberta", "Alberta"),
    ("bc", "province", "British Columbia", "Colombie-Britannique"),
    ("yt", "territory", "Yukon", "Yukon"),
    ("nt", "territory", "Northwest Territories", "Territoires du Nord-Ouest"),
    ("nu", "territory", "Nunavut", "Nunavut"),
]

QUEBEC_REGIONS = [
    ("01", "Bas-Saint-Laurent"),
    ("02", "Saguenay–Lac-Saint-Jean"),
    ("03", "Capitale-Nationale"),
    ("04", "Mauricie"),
    ("05", "Estrie"),
    ("06", "Montréal"),
    ("07", "Outaouais"),
    ("08", "Abitibi-Témiscamingue"),
    ("09", "Côte-Nord"),
    ("10", "Nord-du-Québec"),
    ("11", "Gaspésie–Îles-de-la-Madeleine"),
    ("12", "Chaudière-Appalaches"),
    ("13", "Laval"),
    ("14", "Lanaudière"),
    ("15", "Laurentides"),
    ("16", "Montérégie"),
    ("17", "Centre-du-Québec"),
]

# code, English, French, parent code
SECTORS = [
    ("health-social", "Health and social services", "Santé et services sociaux", None),
    ("home-care", "Home care", "Soutien à domicile", "health-social"),
    ("mental-health", "Mental health", "Santé mentale", "health-social"),
    ("primary-care", "Primary health care", "Soins de santé de première ligne", "health-social"),
    ("housing", "Housing", "Habitation", None),
    ("child-care", "Child care", "Services de garde", None),
    ("education", "Education and literacy", "Éducation et alphabétisation", None),
    ("environment", "Environment", "Environnement", None),
    ("leisure", "Leisure and sport", "Loisir et sport", None),
    ("culture", "Arts and culture", "Arts et culture", None),
    ("fair-trade", "Fair trade", "Commerce équitable", None),
    ("transit", "Transit", "Transport collectif", None),
    ("utilities", "Utilities", "Services publics", None),
    ("municipal-it", "Municipal informatics", "Informatique municipale", "utilities"),
    ("employment", "Employment and training", "Emploi et formation", None),
    ("food-security", "Food security", "Sécurité alimentaire", None),
    ("community-action", "Community action", "Action communautaire", None),
    ("rights-defence", "Defence of rights", "Défense collective des droits", "community-action"),
    ("finance", "Finance and insurance", "Finance et assurance", None),
]

CONSTITUENCIES = [
    ("youth", "Youth", "Jeunes"),
    ("seniors", "Seniors", "Personnes aînées"),
    ("women", "Women", "Femmes"),
    ("families", "Families", "Familles"),
    ("immigrants", "Immigrants and refugees", "Personnes immigrantes et réfugiées"),
    ("indigenous", "Indigenous peoples", "Peuples autochtones"),
    ("disabilities", "People with disabilities", "Personnes handicapées"),
    ("low-income", "Low-income people", "Personnes à faible revenu"),
    ("tenants", "Tenants", "Locataires"),
    ("workers", "Workers", "Travailleuses et travailleurs"),
]

FIELDS_OF_ACTIVITY = [
    ("advocacy", "Advocacy and defence of rights", "Défense collective des droits"),
    ("services", "Direct services", "Services directs"),
    ("mutual-aid", "Mutual aid", "Entraide"),
    ("popular-education", "Popular education", "Éducation populaire"),
    ("community-development", "Community development", "Développement local et communautaire"),
    ("representation", "Representation and concertation", "Représentation et concertation"),
    ("social-economy", "Social economy enterprise", "Entreprise d'économie sociale"),
]

AUTONOMY_CRITERIA = [
    ("non-profit", "Is a non-profit organization", "Être un organisme sans but lucratif"),
    ("rooted", "Is rooted in its community", "Être enraciné dans la communauté"),
    (
        "democratic-life",
        "Has a democratic associative life",
        "Entretenir une vie associative et démocratique",
    ),
    (
        "free-mission",
        "Is free to set its mission, orientations, approaches and practices",
        "Être libre de déterminer sa mission, ses orientations, ses approches et ses pratiques",
    ),
    (
        "community-initiative",
        "Was founded at the initiative of people in the community",
        "Avoir été constitué à l'initiative des gens de la communauté",
    ),
    (
        "social-transformation",
        "Pursues a mission of social transformation",
        "Poursuivre une mission sociale qui favorise la transformation sociale",
    ),
    (
        "broad-action",
        "Takes broad, citizen-based action",
        "Faire preuve de pratiques citoyennes et d'approches larges",
    ),
    (
        "independent-board",
        "Is governed by a board independent of the public network",
        "Être dirigé par un conseil d'administration indépendant du réseau public",
    ),
]


def seed(apps, schema_editor):
    Region = apps.get_model("organizations", "Region")
    Sector = apps.get_model("organizations", "Sector")
    Constituency = apps.get_model("organizations", "Constituency")
    FieldOfActivity = apps.get_model("organizations", "FieldOfActivity")
    AutonomyCriterion = apps.get_model("organizations", "AutonomyCriterion")

    provinces = {
        code: Region.objects.create(code=code, kind=kind, name_en=en, name_fr=fr)
        for code, kind, en, fr in PROVINCES
    }
    Region.objects.bulk_create(
        Region(
            code=f"qc-{number}",
            kind="administrative_region",
            name_en=name,
            name_fr=name,
            parent=provinces["qc"],
        )
        for number, name in QUEBEC_REGIONS
    )
    sectors = {}
    for code, en, fr, parent in SECTORS:
        sectors[code] = Sector.objects.create(
            code=code, name_en=en, name_fr=fr, parent=sectors.get(parent)
        )
    Constituency.objects.bulk_create(
        Constituency(code=code, name_en=en, name_fr=fr) for code, en, fr in CONSTITUENCIES
    )
    FieldOfActivity.objects.bulk_create(
        FieldOfActivity(code=code, name_en=en, name_fr=fr) for code, en, fr in FIELDS_OF_ACTIVITY
    )
    AutonomyCriterion.objects.bulk_create(
        AutonomyCriterion(code=code, name_en=en, name_fr=fr, sort_order=order)
        for order, (code, en, fr) in enumerate(AUTONOMY_CRITERIA, start=1)
    )


def unseed(apps, schema_editor):
    for model in ("AutonomyCriterion", "FieldOfActivity", "Constituency"):
        apps.get_model("organizations", model).objects.all().delete()
    Sector = apps.get_model("organizations", "Sector")
    Sector.objects.exclude(parent=None).delete()
    Sector.objects.all().delete()
    Region = apps.get_model("organizations", "Region")
    Region.objects.exclude(parent=None).delete()
    Region.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
