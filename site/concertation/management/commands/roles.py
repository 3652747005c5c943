"""Give, take back and list the roles people hold on one object.

    manage.py roles list                          the roles and what they allow
    manage.py roles list <role> <object>          who holds a role on an object
    manage.py roles grant <role> <user> <object>  give it
    manage.py roles revoke <role> <user> <object> take it back

The roles are declared by the apps' permissions modules (`concertation.roles`); see
docs/permissions.md. An error names the argument that is wrong.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Model

from concertation.roles import Role, roles


class Command(BaseCommand):
    help = "Grant, revoke or list the roles people hold on one object (see roles list)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["grant", "revoke", "list"])
        parser.add_argument(
            "arguments", nargs="*", help="<role> <user> <object>, or for list: [<role> <object>]"
        )

    def handle(self, *args, action: str, arguments: list[str], **options) -> None:
        if action == "list":
            if not arguments:
                self._list_roles()
                return
            if len(arguments) != 2:
                raise CommandError("arguments: list takes no argument, or <role> <object>.")
            role = self._role(arguments[0])
            for holder in role.holders(self._object(role, arguments[1])):
                self.stdout.write(holder.get_username())
            return
        if len(arguments) != 3:
            names = ["role", "user", "object"]
            missing = names[len(arguments)] if len(arguments) < 3 else "arguments"
            raise CommandError(f"{missing}: {action} takes <role> <user> <object>.")
        role = self._role(arguments[0])
        found = self._object(role, arguments[2])
        user = self._user(arguments[1])
        if action == "grant":
            role.grant(user, found)
            self.stdout.write(
                self.style.SUCCESS(f"{user.get_username()} is now {role.name} of {found}.")
            )
        else:
            role.revoke(user, found)
            self.stdout.write(
                self.style.SUCCESS(f"{user.get_username()} is no longer {role.name} of {found}.")
            )

    def _list_roles(self) -> None:
        for role in roles().values():
            self.stdout.write(f"{role.name} <{role.object_name} {role.lookup}>: {role.description}")

    def _role(self, name: str) -> Role:
        known = roles()
        if name not in known:
            raise CommandError(f'role: unknown role "{name}"; one of {", ".join(known)}.')
        return known[name]

    def _user(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f'user: no user is called "{username}".')
        return user

    def _object(self, role: Role, value: str) -> Model:
        found = role.find(value)
        if found is None:
            raise CommandError(f'object: no {role.object_name} has the {role.lookup} "{value}".')
        return found
