"""Funding becomes an app of its own (label "funding"), following Django's recipe for
moving models between apps: the four models keep their tables (`db_table`), their
constraints and index; only Django's state moves here, and their content types are
renamed from "organizations" to "funding" so that model permissions, django-guardian
object permissions and Wagtail's log entries keep pointing at them.
`organizations` 0004 then removes them from the organizations app's state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ("programme", "programmebudget", "allocation", "serviceload")


def _rename_content_types(apps, schema_editor, old_label: str, new_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED_MODELS:
        moved = ContentType.objects.using(db).filter(app_label=old_label, model=model)
        if not moved.exists():
            continue
        # A content type created under the new label before this ran has nothing
        # pointing at it yet: the renamed one, which permissions point at, replaces it.
        ContentType.objects.using(db).filter(app_label=new_label, model=model).delete()
        moved.update(app_label=new_label)


def content_types_to_funding(apps, schema_editor) -> None:
    _rename_content_types(apps, schema_editor, "organizations", "funding")


def content_types_to_organizations(apps, schema_editor) -> None:
    _rename_content_types(apps, schema_editor, "funding", "organizations")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("organizations", "0003_funding"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Programme",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=255, verbose_name="name")),
                        (
                            "slug",
                            models.SlugField(max_length=255, unique=True, verbose_name="slug"),
                        ),
                        (
                            "mode",
                            models.CharField(
                                choices=[
                                    ("global_mission", "Global mission support"),
                                    ("service_agreement", "Service agreement"),
                                    ("project", "Project"),
                                ],
                                max_length=20,
                                verbose_name="mode",
                            ),
                        ),
                        (
                            "first_fiscal_year",
                            models.PositiveSmallIntegerField(
                                help_text="The calendar year it starts in: 2000 is 2000–2001.",
                                verbose_name="first fiscal year",
                            ),
                        ),
                        (
                            "last_fiscal_year",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="Empty while it runs.",
                                null=True,
                                verbose_name="last fiscal year",
                            ),
                        ),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "funder",
                            models.ForeignKey(
                                limit_choices_to={"kind": "government"},
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="programmes",
                                to="organizations.organization",
                                verbose_name="funder",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "funding programme",
                        "verbose_name_plural": "funding programmes",
                        "db_table": "organizations_programme",
                        "ordering": ["name"],
                        "permissions": [
                            ("manage_programme", "Can record allocations for a programme")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Allocation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "fiscal_year",
                            models.PositiveSmallIntegerField(verbose_name="fiscal year"),
                        ),
                        (
                            "amount",
                            models.DecimalField(
                                decimal_places=2, max_digits=14, verbose_name="amount (CAD)"
                            ),
                        ),
                        (
                            "mode",
                            models.CharField(
                                choices=[
                                    ("global_mission", "Global mission support"),
                                    ("service_agreement", "Service agreement"),
                                    ("project", "Project"),
                                ],
                                max_length=20,
                                verbose_name="mode",
                            ),
                        ),
                        (
                            "origin",
                            models.CharField(
                                choices=[
                                    ("new", "New money"),
                                    ("reallocated", "Reallocated from elsewhere"),
                                ],
                                max_length=12,
                                verbose_name="new or reallocated",
                            ),
                        ),
                        (
                            "starts_on",
                            models.DateField(blank=True, null=True, verbose_name="starts"),
                        ),
                        ("ends_on", models.DateField(blank=True, null=True, verbose_name="ends")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Draft"),
                                    ("approved", "Approved"),
                                    ("published", "Published"),
                                ],
                                default="draft",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="recorded"),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="allocations",
                                to="organizations.organization",
                                verbose_name="organization",
                            ),
                        ),
                        (
                            "reallocated_from_sector",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reallocated_from",
                                to="organizations.sector",
                                verbose_name="reallocated from the sub-sector",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="allocations",
                                to="funding.programme",
                                verbose_name="programme",
                            ),
                        ),
                        (
                            "reallocated_from_programme",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reallocated_to",
                                to="funding.programme",
                                verbose_name="reallocated from the programme",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "allocation",
                        "verbose_name_plural": "allocations",
                        "db_table": "organizations_allocation",
                        "ordering": ["-fiscal_year", "organization"],
                    },
                ),
                migrations.CreateModel(
                    name="ProgrammeBudget",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "fiscal_year",
                            models.PositiveSmallIntegerField(verbose_name="fiscal year"),
                        ),
                        (
                            "amount",
                            models.DecimalField(
                                decimal_places=2, max_digits=14, verbose_name="budget (CAD)"
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="budgets",
                                to="funding.programme",
                                verbose_name="programme",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "programme budget",
                        "verbose_name_plural": "programme budgets",
                        "db_table": "organizations_programmebudget",
                        "ordering": ["programme", "fiscal_year"],
                    },
                ),
                migrations.CreateModel(
                    name="ServiceLoad",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "fiscal_year",
                            models.PositiveSmallIntegerField(verbose_name="fiscal year"),
                        ),
                        (
                            "people_served",
                            models.PositiveIntegerField(verbose_name="people served"),
                        ),
                        (
                            "service_hours",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="service hours"
                            ),
                        ),
                        (
                            "waiting_list",
                            models.PositiveIntegerField(
                                blank=True,
                                help_text="People waiting at year end.",
                                null=True,
                                verbose_name="waiting list",
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="service_loads",
                                to="organizations.organization",
                                verbose_name="organization",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "service load",
                        "verbose_name_plural": "service loads",
                        "db_table": "organizations_serviceload",
                        "ordering": ["organization", "fiscal_year"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="programme",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("last_fiscal_year__isnull", True),
                            ("last_fiscal_year__gte", models.F("first_fiscal_year")),
                            _connector="OR",
                        ),
                        name="programme_ends_after_it_starts",
                        violation_error_message="A programme cannot end before it starts.",
                    ),
                ),
                migrations.AddIndex(
                    model_name="allocation",
                    index=models.Index(
                        fields=["programme", "fiscal_year", "status"],
                        name="organizatio_program_f5fee1_idx",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="allocation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)),
                        name="allocation_amount_positive",
                        violation_error_message="An allocation's amount is more than zero.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="allocation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("origin", "new"),
                                ("reallocated_from_programme__isnull", True),
                                ("reallocated_from_sector__isnull", True),
                            ),
                            models.Q(
                                ("origin", "reallocated"),
                                models.Q(
                                    ("reallocated_from_programme__isnull", False),
                                    ("reallocated_from_sector__isnull", False),
                                    _connector="OR",
                                ),
                            ),
                            _connector="OR",
                        ),
                        name="reallocated_money_says_from_where",
                        violation_error_message="Reallocated money names the programme or sub-sector it comes from; new money names none.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="allocation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("ends_on__isnull", True),
                            ("starts_on__isnull", True),
                            ("ends_on__gte", models.F("starts_on")),
                            _connector="OR",
                        ),
                        name="allocation_ends_after_it_starts",
                        violation_error_message="An allocation cannot end before it starts.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="programmebudget",
                    constraint=models.UniqueConstraint(
                        fields=("programme", "fiscal_year"),
                        name="one_budget_per_programme_year",
                        violation_error_message="This programme already has a budget for that year.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="programmebudget",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("amount__gte", 0)),
                        name="budget_not_negative",
                        violation_error_message="A budget cannot be negative.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="serviceload",
                    constraint=models.UniqueConstraint(
                        fields=("organization", "fiscal_year"),
                        name="one_service_load_per_year",
                        violation_error_message="This organization already reported its service load for that year.",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(content_types_to_funding, content_types_to_organizations),
            ],
        ),
    ]
