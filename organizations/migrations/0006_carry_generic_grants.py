"""Organization grants move from django-guardian's generic tables to the organizations'
own (0005): every user and group object permission on an organization is copied with its
foreign key, then removed from the generic table. Reversible: going back copies them to
the generic tables again (with the text `object_pk`) and empties the new ones.

Grants on an organization that no longer exists (a generic row outlives its object) are
dropped on the way, as the foreign key cannot hold them.
"""

from django.db import migrations

BATCH = 5_000

# (generic model, direct model, the principal's field)
PAIRS = (
    ("UserObjectPermission", "OrganizationUserObjectPermission", "user_id"),
    ("GroupObjectPermission", "OrganizationGroupObjectPermission", "group_id"),
)


def _organization_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.filter(app_label="organizations", model="organization").first()


def to_foreign_keys(apps, schema_editor) -> None:
    content_type = _organization_type(apps)
    if content_type is None:  # a new database: no organization was ever granted
        return
    Organization = apps.get_model("organizations", "Organization")
    for generic_name, direct_name, principal in PAIRS:
        Generic = apps.get_model("guardian", generic_name)
        Direct = apps.get_model("organizations", direct_name)
        grants = Generic.objects.filter(content_type=content_type)
        rows = grants.values_list(principal, "permission_id", "object_pk").order_by("pk")
        batch: list = []
        for principal_id, permission_id, object_pk in rows.iterator(chunk_size=BATCH):
            if not object_pk.isdigit():
                continue
            batch.append((principal_id, permission_id, int(object_pk)))
            if len(batch) >= BATCH:
                _create_direct(Direct, Organization, principal, batch)
                batch = []
        _create_direct(Direct, Organization, principal, batch)
        grants.delete()


def _create_direct(Direct, Organization, principal: str, batch: list) -> None:
    existing = set(
        Organization.objects.filter(pk__in={pk for _p, _perm, pk in batch}).values_list(
            "pk", flat=True
        )
    )
    Direct.objects.bulk_create(
        (
            Direct(**{principal: who, "permission_id": permission_id, "content_object_id": pk})
            for who, permission_id, pk in batch
            if pk in existing
        ),
        ignore_conflicts=True,
    )


def to_generic(apps, schema_editor) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for generic_name, direct_name, principal in PAIRS:
        Generic = apps.get_model("guardian", generic_name)
        Direct = apps.get_model("organizations", direct_name)
        if not Direct.objects.exists():
            continue
        content_type, _created = ContentType.objects.get_or_create(
            app_label="organizations", model="organization"
        )
        rows = Direct.objects.values_list(principal, "permission_id", "content_object_id")
        Generic.objects.bulk_create(
            (
                Generic(
                    **{principal: who, "permission_id": permission_id},
                    content_type=content_type,
                    object_pk=str(pk),
                )
                for who, permission_id, pk in rows.order_by("pk").iterator(chunk_size=BATCH)
            ),
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        Direct.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
        ("organizations", "0005_grants_with_a_foreign_key"),
    ]

    operations = [migrations.RunPython(to_foreign_keys, to_generic)]
