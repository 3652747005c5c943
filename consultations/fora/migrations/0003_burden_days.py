"""The burden summary in hundredths of an hour, and its day rows (models/summary.py):
integer sums for the catalogue's statement, and `BurdenDay` for the window's first and
last months, covered in part. The summary is derived data: its month rows are emptied
and every month marked stale (read from the records, as if never summarized) until
`manage.py burden_summary` or the worker rebuilds it, with its day rows."""

import django.db.models.deletion
from django.db import migrations, models


def every_month_stale(apps, schema_editor) -> None:
    apps.get_model("fora", "SummarizedMonth").objects.update(fresh=False)
    apps.get_model("fora", "BurdenMonth").objects.all().delete()


HUNDREDTHS = ("meeting", "travel", "unsupported")


class Migration(migrations.Migration):
    dependencies = [
        ("fora", "0002_burden_summary"),
        ("organizations", "0004_funding_moves_to_its_app"),
    ]

    operations = [
        migrations.RunPython(every_month_stale, migrations.RunPython.noop),
        *[
            migrations.RemoveField(model_name="burdenmonth", name=f"{name}_hours")
            for name in HUNDREDTHS
        ],
        *[
            migrations.AddField(
                model_name="burdenmonth",
                name=f"{name}_hundredths",
                field=models.BigIntegerField(default=0),
                preserve_default=False,
            )
            for name in HUNDREDTHS
        ],
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
                ("meeting_hundredths", models.BigIntegerField()),
                ("travel_hundredths", models.BigIntegerField()),
                ("unsupported_hundredths", models.BigIntegerField()),
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
    ]
