"""The fora become an app of their own (label "fora"), following Django's recipe for
moving models between apps: the five models keep their tables (`db_table`, and the
many-to-many `consultations_forum_sectors`), their constraints and indexes; only Django's
state moves here, and their content types are renamed from "consultations" to "fora" so
that model permissions, django-guardian object permissions and Wagtail's log entries keep
pointing at them. `consultations` 0009 then removes them from that app's state."""

from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ("forum", "seat", "seatterm", "meeting", "attendance")


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


def content_types_to_fora(apps, schema_editor) -> None:
    _rename_content_types(apps, schema_editor, "consultations", "fora")


def content_types_to_consultations(apps, schema_editor) -> None:
    _rename_content_types(apps, schema_editor, "fora", "consultations")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("consultations", "0008_public_copies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Forum",
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
                            "level",
                            models.CharField(
                                choices=[
                                    ("local", "Local"),
                                    ("regional", "Regional"),
                                    ("national", "National"),
                                    ("multisectoral", "Multi-sectoral"),
                                ],
                                max_length=20,
                                verbose_name="level",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("government_table", "Government-convened table"),
                                    ("sector_table", "Sector coalition table"),
                                    ("health_board", "Regional health and social services board"),
                                    ("development_council", "Regional development council"),
                                    ("local_development_centre", "Local development centre"),
                                    ("working_group", "Working group"),
                                    ("advisory_committee", "Advisory committee"),
                                ],
                                max_length=30,
                                verbose_name="kind",
                            ),
                        ),
                        ("active_from", models.DateField(verbose_name="active from")),
                        (
                            "active_until",
                            models.DateField(blank=True, null=True, verbose_name="active until"),
                        ),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "convenor",
                            models.ForeignKey(
                                help_text="Whoever convenes it manages it: its seats, holders and meetings.",
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="fora_convened",
                                to="organizations.organization",
                                verbose_name="convenor",
                            ),
                        ),
                        (
                            "region",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="fora",
                                to="organizations.region",
                                verbose_name="region",
                            ),
                        ),
                        (
                            "sectors",
                            models.ManyToManyField(
                                blank=True,
                                db_table="consultations_forum_sectors",
                                to="organizations.sector",
                                verbose_name="sectors",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "forum",
                        "verbose_name_plural": "fora",
                        "db_table": "consultations_forum",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Meeting",
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
                        ("held_on", models.DateField(verbose_name="date")),
                        (
                            "duration_hours",
                            models.DecimalField(
                                decimal_places=2, max_digits=5, verbose_name="duration (hours)"
                            ),
                        ),
                        (
                            "mode",
                            models.CharField(
                                choices=[("in_person", "In person"), ("online", "Online")],
                                max_length=10,
                                verbose_name="mode",
                            ),
                        ),
                        (
                            "travel_hours",
                            models.DecimalField(
                                decimal_places=2,
                                default=Decimal("0"),
                                help_text="The usual return travel time for a delegate; zero when online.",
                                max_digits=5,
                                verbose_name="travel time (hours, return)",
                            ),
                        ),
                        (
                            "forum",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="meetings",
                                to="fora.forum",
                                verbose_name="forum",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "meeting",
                        "verbose_name_plural": "meetings",
                        "db_table": "consultations_meeting",
                        "ordering": ["-held_on"],
                    },
                ),
                migrations.CreateModel(
                    name="Seat",
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
                        ("label", models.CharField(max_length=255, verbose_name="label")),
                        (
                            "designation",
                            models.CharField(
                                choices=[
                                    ("sector", "A sector"),
                                    ("constituency", "A constituency"),
                                    ("government", "Government"),
                                ],
                                max_length=20,
                                verbose_name="designated for",
                            ),
                        ),
                        (
                            "per_diem",
                            models.DecimalField(
                                decimal_places=2,
                                default=0,
                                max_digits=8,
                                verbose_name="per diem (CAD per meeting)",
                            ),
                        ),
                        (
                            "travel_allowance",
                            models.DecimalField(
                                decimal_places=2,
                                default=0,
                                max_digits=8,
                                verbose_name="travel costs covered (CAD per meeting)",
                            ),
                        ),
                        (
                            "release_time_hours",
                            models.DecimalField(
                                decimal_places=2,
                                default=0,
                                max_digits=6,
                                verbose_name="release time paid (hours per month)",
                            ),
                        ),
                        (
                            "constituency",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="seats",
                                to="organizations.constituency",
                                verbose_name="constituency",
                            ),
                        ),
                        (
                            "forum",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="seats",
                                to="fora.forum",
                                verbose_name="forum",
                            ),
                        ),
                        (
                            "sector",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="seats",
                                to="organizations.sector",
                                verbose_name="sector",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "seat",
                        "verbose_name_plural": "seats",
                        "db_table": "consultations_seat",
                        "ordering": ["forum", "label"],
                    },
                ),
                migrations.CreateModel(
                    name="SeatTerm",
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
                            "delegate",
                            models.CharField(
                                blank=True,
                                help_text="The person the organization sends; the organization names them.",
                                max_length=255,
                                verbose_name="delegate",
                            ),
                        ),
                        ("starts_on", models.DateField(verbose_name="term starts")),
                        (
                            "ends_on",
                            models.DateField(
                                blank=True,
                                help_text="The first day it is no longer held.",
                                null=True,
                                verbose_name="term ends",
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="seat_terms",
                                to="organizations.organization",
                                verbose_name="holder",
                            ),
                        ),
                        (
                            "seat",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="terms",
                                to="fora.seat",
                                verbose_name="seat",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "seat term",
                        "verbose_name_plural": "seat terms",
                        "db_table": "consultations_seatterm",
                        "ordering": ["seat", "-starts_on"],
                    },
                ),
                migrations.CreateModel(
                    name="Attendance",
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
                        ("attended", models.BooleanField(default=True, verbose_name="attended")),
                        (
                            "confirmed_by",
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
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attendances",
                                to="fora.meeting",
                                verbose_name="meeting",
                            ),
                        ),
                        (
                            "term",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attendances",
                                to="fora.seatterm",
                                verbose_name="seat term",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "attendance",
                        "verbose_name_plural": "attendances",
                        "db_table": "consultations_attendance",
                    },
                ),
                migrations.AddConstraint(
                    model_name="forum",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("active_until__isnull", True),
                            ("active_until__gte", models.F("active_from")),
                            _connector="OR",
                        ),
                        name="forum_ends_after_it_starts",
                        violation_error_message="A forum cannot end before it starts.",
                    ),
                ),
                migrations.AddIndex(
                    model_name="meeting",
                    index=models.Index(fields=["held_on"], name="meeting_held_on"),
                ),
                migrations.AddIndex(
                    model_name="meeting",
                    index=models.Index(
                        fields=["id", "held_on"],
                        include=("duration_hours", "mode", "travel_hours"),
                        name="meeting_burden_covering",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="meeting",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("duration_hours__gt", 0), ("duration_hours__lte", 24)),
                        name="meeting_duration_in_a_day",
                        violation_error_message="A meeting lasts more than 0 and at most 24 hours.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="meeting",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("travel_hours__gte", 0),
                            models.Q(("mode", "in_person"), ("travel_hours", 0), _connector="OR"),
                        ),
                        name="only_in_person_meetings_need_travel",
                        violation_error_message="Travel time is zero or more, and zero for an online meeting.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="seat",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("per_diem__gte", 0),
                            ("travel_allowance__gte", 0),
                            ("release_time_hours__gte", 0),
                        ),
                        name="seat_support_not_negative",
                        violation_error_message="Support amounts cannot be negative.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="seat",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("designation", "sector"), _negated=True),
                            ("sector__isnull", False),
                            _connector="OR",
                        ),
                        name="sector_seat_names_its_sector",
                        violation_error_message="A seat designated for a sector names the sector.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="seat",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("designation", "constituency"), _negated=True),
                            ("constituency__isnull", False),
                            _connector="OR",
                        ),
                        name="constituency_seat_names_its_constituency",
                        violation_error_message="A seat designated for a constituency names the constituency.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="seatterm",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("ends_on__isnull", True),
                            ("ends_on__gt", models.F("starts_on")),
                            _connector="OR",
                        ),
                        name="seat_term_ends_after_it_starts",
                        violation_error_message="A term ends after it starts.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="seatterm",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("ends_on__isnull", True)),
                        fields=("seat",),
                        name="one_open_term_per_seat",
                        violation_error_message="This seat already has a holder.",
                    ),
                ),
                migrations.AddIndex(
                    model_name="attendance",
                    index=models.Index(
                        condition=models.Q(("attended", True)),
                        fields=["term", "meeting"],
                        name="attendance_attended_by_term",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="attendance",
                    constraint=models.UniqueConstraint(
                        fields=("meeting", "term"),
                        name="one_attendance_per_seat_and_meeting",
                        violation_error_message="Attendance for this seat is already recorded.",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(content_types_to_fora, content_types_to_consultations),
            ],
        ),
    ]
