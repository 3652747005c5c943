"""The roles a person is given on one object, gathered from the apps' permissions modules.

Each app declares its roles in its `permissions` module, beside the predicates they
grant (`ROLES = (Role(...), ...)`), and registers them here from its
`AppConfig.ready()` (explicitly: discovering every installed app's `permissions` module
would import Wagtail's deprecated ones too). `manage.py roles` reads them: one command,
one syntax and one set of error messages for every role, instead of a command per role.
A role is named on the command line, finds its object by one field (a slug), and grants,
revokes and lists through the app's own services — the same functions tests and the
admin use.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model
from django.utils.functional import Promise


@dataclass(frozen=True)
class Role:
    """A role held on one object: what it allows, and how it is granted and revoked."""

    name: str
    description: str | Promise
    model: type[Model]
    lookup: str
    grant: Callable[[AbstractBaseUser, Model], None]
    revoke: Callable[[AbstractBaseUser, Model], None]
    holders: Callable[[Model], Sequence[AbstractBaseUser]]

    @property
    def object_name(self) -> str:
        return str(self.model._meta.verbose_name)

    def find(self, value: str) -> Model | None:
        """The object whose `lookup` field is `value`, or None."""
        return self.model._default_manager.filter(**{self.lookup: value}).first()


_registry: dict[str, Role] = {}


def register(*roles: Role) -> None:
    """Add an app's roles; two apps may not declare the same name."""
    for role in roles:
        if _registry.get(role.name, role) is not role:
            raise ValueError(f"Two apps declare the role {role.name!r}.")
        _registry[role.name] = role


def roles() -> dict[str, Role]:
    """Every registered role, by name (in the order of INSTALLED_APPS)."""
    return dict(_registry)
