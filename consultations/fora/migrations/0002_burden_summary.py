"""The monthly burden summary (models/summary.py): empty here, filled by the worker as
months change, or at once with `manage.py burden_summary`."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fora", "0001_initial"),
        ("organizations", "0004_funding_moves_to_its_app"),
    ]

    operations = [
        migrations.CreateModel(
            name="SummarizedMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(unique=True)),
                ("fresh", models.BooleanField(default=False)),
            ],
            options={
                "db_table": "fora_summarizedmonth",
            },
        ),
        migrations.CreateModel(
            name="BurdenMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
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
                "db_table": "fora_burdenmonth",
                "indexes": [models.Index(fields=["month"], name="burden_month_month")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organization", "month"), name="one_burden_summary_per_month"
                    )
                ],
            },
        ),
    ]
