"""Funding's move into an app of its own keeps every row and every permission.

A database at the previous layout (the funding models in the organizations app, its
0003) with a programme, a budget, an allocation, a service load, and a finance officer
holding the django-guardian object permission `manage_programme` on the programme, is
migrated to the new layout: the rows are read through the funding app's models, the
content type is `funding.programme`, and the officer still manages the programme.
"""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.postgres

PREVIOUS_LAYOUT = [
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
    ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
    ("organizations", "0003_funding"),
]
NEW_LAYOUT = [
    ("funding", "0001_initial"),
    ("organizations", "0004_funding_moves_to_its_app"),
]


def _previous_layout(migrator):
    """The database before the move. The migrator applies everything up to the targets'
    place in the full plan, which may already include the funding app's migrations:
    they are unapplied again (organizations 0004 first, as it depends on funding 0001)."""
    migrator.apply_initial_migration(PREVIOUS_LAYOUT)
    return migrator.apply_tested_migration([("funding", None)])


def _fill_previous_layout(apps) -> dict:
    """What a database had before the move, its content types and permissions included
    (the migrator mutes the `post_migrate` signal that would create them)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("auth", "User")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    Organization = apps.get_model("organizations", "Organization")
    Sector = apps.get_model("organizations", "Sector")
    Programme = apps.get_model("organizations", "Programme")
    ProgrammeBudget = apps.get_model("organizations", "ProgrammeBudget")
    Allocation = apps.get_model("organizations", "Allocation")
    ServiceLoad = apps.get_model("organizations", "ServiceLoad")

    content_types = {
        model: ContentType.objects.create(app_label="organizations", model=model)
        for model in ("programme", "programmebudget", "allocation", "serviceload")
    }
    manage = Permission.objects.create(
        codename="manage_programme",
        name="Can record allocations for a programme",
        content_type=content_types["programme"],
    )
    officer = User.objects.create(username="officer", is_active=True)
    ministry = Organization.objects.create(name="Ministry", slug="ministry", kind="government")
    centre = Organization.objects.create(name="Centre", slug="centre", kind="community")
    sector = Sector.objects.create(code="moved-health", name_en="Health", name_fr="Santé")
    programme = Programme.objects.create(
        name="Mission support",
        slug="mission-support",
        funder=ministry,
        mode="global_mission",
        first_fiscal_year=2000,
    )
    ProgrammeBudget.objects.create(programme=programme, fiscal_year=2000, amount=Decimal(1000))
    Allocation.objects.create(
        organization=centre,
        programme=programme,
        fiscal_year=2000,
        amount=Decimal(400),
        mode="global_mission",
        origin="reallocated",
        reallocated_from_sector=sector,
        status="published",
    )
    ServiceLoad.objects.create(organization=centre, fiscal_year=2000, people_served=120)
    UserObjectPermission.objects.create(
        user=officer,
        permission=manage,
        content_type=content_types["programme"],
        object_pk=str(programme.pk),
    )
    return {"programme": programme.pk, "officer": officer.pk}


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_the_rows_and_the_object_permission(migrator) -> None:
    old_state = _previous_layout(migrator)
    before = _fill_previous_layout(old_state.apps)

    migrator.apply_tested_migration(NEW_LAYOUT)

    # Read through the project's models: the database is now at the new layout.
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from organizations.funding.models import Allocation, Programme, ProgrammeBudget, ServiceLoad

    ContentType.objects.clear_cache()
    programme = Programme.objects.get(pk=before["programme"])
    assert programme.slug == "mission-support"
    assert programme.funder.slug == "ministry"
    assert ProgrammeBudget.objects.get(programme=programme).amount == Decimal(1000)
    allocation = Allocation.objects.get(programme=programme)
    assert (allocation.organization.slug, allocation.amount) == ("centre", Decimal(400))
    assert allocation.reallocated_from_sector.code == "moved-health"
    assert ServiceLoad.objects.get(organization__slug="centre").people_served == 120

    content_type = ContentType.objects.get_for_model(Programme)
    assert (content_type.app_label, content_type.model) == ("funding", "programme")
    assert not ContentType.objects.filter(app_label="organizations", model="programme").exists()
    assert set(ContentType.objects.filter(app_label="funding").values_list("model", flat=True)) == {
        "programme",
        "programmebudget",
        "allocation",
        "serviceload",
    }

    officer = get_user_model().objects.get(pk=before["officer"])
    assert officer.has_perm("funding.manage_programme", programme)
    manage = Permission.objects.get(codename="manage_programme")
    assert manage.content_type == content_type
    assert not Permission.objects.filter(content_type__app_label="organizations").filter(
        codename__endswith="programme"
    )


@pytest.mark.django_db(transaction=True)
def test_the_move_is_reversible(migrator) -> None:
    """Migrating back puts the content types under "organizations" again."""
    old_state = _previous_layout(migrator)
    _fill_previous_layout(old_state.apps)
    migrator.apply_tested_migration(NEW_LAYOUT)

    # Unapplying funding 0001 unapplies organizations 0004 first: it depends on it.
    back = migrator.apply_tested_migration([("funding", None)])

    ContentType = back.apps.get_model("contenttypes", "ContentType")
    assert set(
        ContentType.objects.filter(app_label="organizations").values_list("model", flat=True)
    ) == {"programme", "programmebudget", "allocation", "serviceload"}
    assert not ContentType.objects.filter(app_label="funding").exists()
    Programme = back.apps.get_model("organizations", "Programme")
    assert Programme.objects.get().slug == "mission-support"
