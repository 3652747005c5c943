"""Create the first admin account, once.

The password comes from CONCERTATION_ADMIN_PASSWORD; without it a random one is
generated and printed this one time only.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the 'admin' superuser if it does not exist yet."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@example.org")

    def handle(self, *args, username: str, email: str, **options) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Admin account '{username}' already exists.")
            return
        password = os.environ.get("CONCERTATION_ADMIN_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(self.style.SUCCESS(f"Created admin account '{username}'."))
        if generated:
            self.stdout.write(
                self.style.WARNING(f"Its generated password, shown only this once: {password}")
            )
