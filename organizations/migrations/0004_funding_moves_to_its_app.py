"""The funding models now belong to the funding app (`funding` 0001): removed from this
app's state only, their tables stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0003_funding"),
        ("funding", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="programme",
                    name="funder",
                ),
                migrations.RemoveField(
                    model_name="programmebudget",
                    name="programme",
                ),
                migrations.RemoveField(
                    model_name="serviceload",
                    name="organization",
                ),
                migrations.DeleteModel(
                    name="Allocation",
                ),
                migrations.DeleteModel(
                    name="Programme",
                ),
                migrations.DeleteModel(
                    name="ProgrammeBudget",
                ),
                migrations.DeleteModel(
                    name="ServiceLoad",
                ),
            ],
        ),
    ]
