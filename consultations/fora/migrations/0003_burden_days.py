"""The burden summary's day rows (models/summary.py, `BurdenDay`): the window's first
and last months, covered in part, are read from them when fresh. Empty here, so every
month already summarized is marked stale (read from the records, as if never summarized)
until `manage.py burden_summary` or the worker rebuilds it with its day rows."""

import django.db.models.deletion
from django.db import migrations, models


def every_month_stale(apps, schema_editor) -> None:
    apps.get_model("fora", "SummarizedMonth").objects.update(fresh=False)


class Migration(migrations.Migration):
    dependencies = [
        ("fora", "0002_burden_summary"),
        ("organizations", "0004_funding_moves_to_its_app"),
    ]

    operations = [
        migrations.CreateModel(
            name="BurdenDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("meeting_hours", models.DecimalField(decimal_places=2, max_digits=12)),
                ("travel_hours", models.DecimalField(decimal_places=2, max_digits=12)),
                ("unsupported_hours", models.DecimalField(decimal_places=2, max_digits=12)),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organizations.organization",
                    ),
                ),
            ],
            options={
                "db_table": "fora_burdenday",
                "indexes": [models.Index(fields=["day"], name="burden_day_day")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organization", "day"), name="one_burden_summary_per_day"
                    )
                ],
            },
        ),
        migrations.RunPython(every_month_stale, migrations.RunPython.noop),
    ]
