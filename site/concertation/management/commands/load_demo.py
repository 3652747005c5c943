"""Load the small demo dataset `make run` serves, and its accounts. Safe to run again:
the data loads once, and each account is created once, its password printed then only
(as `ensure_admin` does)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from concertation.demo import load_demo
from concertation.demo_accounts import ensure_demo_accounts


class Command(BaseCommand):
    help = "Load the demo organizations, policy and versions, and the demo accounts (once)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            loaded = load_demo()
        if loaded:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("Demo data already present; nothing to do.")
        created, missing = ensure_demo_accounts()
        if created:
            self.stdout.write(
                self.style.WARNING(
                    "Demo accounts created; their generated passwords, shown only this once:"
                )
            )
            width = max(len(c.account.username) for c in created)
            for entry in created:
                self.stdout.write(
                    f"  {entry.account.username:<{width}}  {entry.password}  ({entry.account.role})"
                )
        else:
            self.stdout.write(
                "Demo accounts already exist (a new password: manage.py changepassword NAME)."
            )
        for account in missing:
            self.stdout.write(
                self.style.WARNING(
                    f"No account '{account.username}': its demo object is missing "
                    "(data loaded by an older version; delete var/ to load it afresh)."
                )
            )
