"""The fora moved to their own app (`consultations.fora`, label "fora", migration
`fora` 0001): they leave this app's state only; their tables stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0008_public_copies"),
        ("fora", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="forum",
                    name="convenor",
                ),
                migrations.RemoveField(
                    model_name="forum",
                    name="region",
                ),
                migrations.RemoveField(
                    model_name="forum",
                    name="sectors",
                ),
                migrations.RemoveField(
                    model_name="seat",
                    name="forum",
                ),
                migrations.RemoveField(
                    model_name="meeting",
                    name="forum",
                ),
                migrations.RemoveField(
                    model_name="seat",
                    name="constituency",
                ),
                migrations.RemoveField(
                    model_name="seat",
                    name="sector",
                ),
                migrations.RemoveField(
                    model_name="seatterm",
                    name="seat",
                ),
                migrations.RemoveField(
                    model_name="seatterm",
                    name="organization",
                ),
                migrations.DeleteModel(
                    name="Attendance",
                ),
                migrations.DeleteModel(
                    name="Forum",
                ),
                migrations.DeleteModel(
                    name="Meeting",
                ),
                migrations.DeleteModel(
                    name="Seat",
                ),
                migrations.DeleteModel(
                    name="SeatTerm",
                ),
            ],
        ),
    ]
