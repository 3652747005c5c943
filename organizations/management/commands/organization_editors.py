"""Name who edits an organization's profile: `add`, `remove` or `list` its editors.

An editor holds a django-guardian object permission on that one organization; see
docs/permissions.md.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from organizations.models import Organization
from organizations.services import editors_of, grant_editor, revoke_editor


class Command(BaseCommand):
    help = "Add, remove or list the editors of an organization."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["add", "remove", "list"])
        parser.add_argument("organization", help="The organization's slug.")
        parser.add_argument("username", nargs="?", help="For add and remove.")

    def handle(self, *args, action: str, organization: str, username: str | None, **options):
        found = Organization.objects.filter(slug=organization).first()
        if found is None:
            raise CommandError(f'organization: no organization has the slug "{organization}".')
        if action == "list":
            for editor in editors_of(found):
                self.stdout.write(editor.get_username())
            return
        if not username:
            raise CommandError(f"username: {action} needs the username of the editor.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f'username: no user is called "{username}".')
        if action == "add":
            grant_editor(user, found)
            self.stdout.write(self.style.SUCCESS(f"{username} now edits {found}."))
        else:
            revoke_editor(user, found)
            self.stdout.write(self.style.SUCCESS(f"{username} no longer edits {found}."))
