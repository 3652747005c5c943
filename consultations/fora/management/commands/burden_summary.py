"""`manage.py burden_summary`: rebuild every month of the burden summary from the
records, after writes that bypass the model signals (bulk loads, raw SQL)."""

from django.core.management.base import BaseCommand

from consultations.fora.burden_summary import refresh_all


class Command(BaseCommand):
    help = "Rebuild every month of the representation burden summary from the records."

    def handle(self, *args, **options) -> None:
        months = refresh_all()
        self.stdout.write(f"Rebuilt {len(months)} months of the burden summary.")
