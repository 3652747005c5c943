"""Co-signatures with consent: a table per kind of record, filled from the former
many-to-many `co_signers` fields (removed in the next migration).

The co-signers recorded before consent existed were named by their record's own
organization and shown publicly for as long as the record was; they are kept as
confirmed (dated today, with no decider), so that the archive does not silently change
what it has published; the named organization's editors find them in their
"Co-signature requests" screen and may withdraw them there. A position's co-signers
are recorded on the first page of its translations and shown on all of them.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def confirm_existing_co_signers(apps, schema_editor) -> None:
    Submission = apps.get_model("consultations", "Submission")
    PositionPage = apps.get_model("consultations", "PositionPage")
    SubmissionCoSignature = apps.get_model("consultations", "SubmissionCoSignature")
    PositionCoSignature = apps.get_model("consultations", "PositionCoSignature")
    decided = django.utils.timezone.now()
    SubmissionCoSignature.objects.bulk_create(
        SubmissionCoSignature(
            submission_id=row.submission_id,
            organization_id=row.organization_id,
            state="confirmed",
            requested_at=decided,
            decided_at=decided,
        )
        for row in Submission.co_signers.through.objects.all()
    )
    originals: dict = {}
    for pk, key in PositionPage.objects.order_by("pk").values_list("pk", "translation_key"):
        originals.setdefault(key, pk)
    keys = dict(PositionPage.objects.values_list("pk", "translation_key"))
    pairs = {
        (originals[keys[row.positionpage_id]], row.organization_id)
        for row in PositionPage.co_signers.through.objects.all()
    }
    PositionCoSignature.objects.bulk_create(
        PositionCoSignature(
            position_id=position_id,
            organization_id=organization_id,
            state="confirmed",
            requested_at=decided,
            decided_at=decided,
        )
        for position_id, organization_id in sorted(pairs)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_burden_indexes"),
        ("organizations", "0003_funding"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PositionCoSignature",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("requested", "Awaiting confirmation"),
                            ("confirmed", "Confirmed"),
                            ("declined", "Declined"),
                        ],
                        default="requested",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                ("requested_at", models.DateTimeField(auto_now_add=True, verbose_name="requested")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="%(class)ss",
                        to="organizations.organization",
                        verbose_name="co-signer",
                    ),
                ),
                (
                    "position",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="co_signatures",
                        to="consultations.positionpage",
                        verbose_name="position",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
            ],
            options={
                "verbose_name": "co-signature of a position",
                "verbose_name_plural": "co-signatures of positions",
                "ordering": ["requested_at", "pk"],
                "abstract": False,
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("state__in", ["requested", "confirmed", "declined"])),
                        name="consultations_positioncosignature_known_state",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("decided_at__isnull", True), ("state", "requested")),
                            models.Q(
                                models.Q(("state", "requested"), _negated=True),
                                ("decided_at__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="consultations_positioncosignature_decided_when_decided",
                    ),
                    models.UniqueConstraint(
                        fields=("position", "organization"), name="one_co_signature_per_position"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="SubmissionCoSignature",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("requested", "Awaiting confirmation"),
                            ("confirmed", "Confirmed"),
                            ("declined", "Declined"),
                        ],
                        default="requested",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                ("requested_at", models.DateTimeField(auto_now_add=True, verbose_name="requested")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="%(class)ss",
                        to="organizations.organization",
                        verbose_name="co-signer",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="co_signatures",
                        to="consultations.submission",
                        verbose_name="brief",
                    ),
                ),
            ],
            options={
                "verbose_name": "co-signature of a brief",
                "verbose_name_plural": "co-signatures of briefs",
                "ordering": ["requested_at", "pk"],
                "abstract": False,
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("state__in", ["requested", "confirmed", "declined"])),
                        name="consultations_submissioncosignature_known_state",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("decided_at__isnull", True), ("state", "requested")),
                            models.Q(
                                models.Q(("state", "requested"), _negated=True),
                                ("decided_at__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="consultations_submissioncosignature_decided_when_decided",
                    ),
                    models.UniqueConstraint(
                        fields=("submission", "organization"), name="one_co_signature_per_brief"
                    ),
                ],
            },
        ),
        migrations.RunPython(confirm_existing_co_signers, migrations.RunPython.noop),
    ]
