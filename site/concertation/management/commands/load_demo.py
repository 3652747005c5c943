"""Load the small demo dataset `make run` serves. Safe to run again: it loads once."""

from django.core.management.base import BaseCommand
from django.db import transaction

from concertation.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo organizations, policy and versions (once)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            loaded = load_demo()
        if loaded:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("Demo data already present; nothing to do.")
