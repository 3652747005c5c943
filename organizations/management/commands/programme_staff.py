"""Name who records a funding programme's allocations: `add`, `remove` or `list` its
finance staff.

Finance staff hold a django-guardian object permission, `funding.manage_programme`,
on that one programme (`organizations.funding.services.grant_programme`); see docs/permissions.md
and docs/funding.md.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from guardian.shortcuts import get_users_with_perms

from organizations.funding.models import Programme
from organizations.funding.services import grant_programme, revoke_programme


class Command(BaseCommand):
    help = "Add, remove or list the finance staff of a funding programme."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["add", "remove", "list"])
        parser.add_argument("programme", help="The programme's slug.")
        parser.add_argument("username", nargs="?", help="For add and remove.")

    def handle(self, *args, action: str, programme: str, username: str | None, **options):
        found = Programme.objects.filter(slug=programme).first()
        if found is None:
            raise CommandError(f'programme: no programme has the slug "{programme}".')
        if action == "list":
            for user in get_users_with_perms(
                found, only_with_perms_in=["manage_programme"], with_superusers=False
            ).order_by("username"):
                self.stdout.write(user.get_username())
            return
        if not username:
            raise CommandError(f"username: {action} needs the username of the finance staff.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f'username: no user is called "{username}".')
        if action == "add":
            grant_programme(user, found)
            self.stdout.write(
                self.style.SUCCESS(f"{username} now records allocations for {found}.")
            )
        else:
            revoke_programme(user, found)
            self.stdout.write(
                self.style.SUCCESS(f"{username} no longer records allocations for {found}.")
            )
