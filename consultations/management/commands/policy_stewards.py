"""Name who manages a policy (its versions and rounds) or one round: `add`, `remove` or
`list` its stewards.

A steward holds a django-guardian object permission on that page, mirrored into Wagtail's
page permissions; see docs/permissions.md.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from guardian.shortcuts import get_users_with_perms

from consultations.models import ConsultationRoundPage, PolicyPage
from consultations.stewardship import grant_steward, revoke_steward


class Command(BaseCommand):
    help = "Add, remove or list the secretariat staff who manage a policy or a round."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["add", "remove", "list"])
        parser.add_argument("page", help="The slug of the policy or round page.")
        parser.add_argument("username", nargs="?", help="For add and remove.")

    def handle(self, *args, action: str, page: str, username: str | None, **options):
        found = (
            PolicyPage.objects.filter(slug=page).first()
            or ConsultationRoundPage.objects.filter(slug=page).first()
        )
        if found is None:
            raise CommandError(f'page: no policy or round has the slug "{page}".')
        if action == "list":
            codename = "manage_policy" if isinstance(found, PolicyPage) else "manage_round"
            for user in get_users_with_perms(
                found, only_with_perms_in=[codename], with_superusers=False
            ):
                self.stdout.write(user.get_username())
            return
        if not username:
            raise CommandError(f"username: {action} needs the username of the steward.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f'username: no user is called "{username}".')
        if action == "add":
            grant_steward(user, found)
            self.stdout.write(self.style.SUCCESS(f"{username} now manages {found}."))
        else:
            revoke_steward(user, found)
            self.stdout.write(self.style.SUCCESS(f"{username} no longer manages {found}."))
