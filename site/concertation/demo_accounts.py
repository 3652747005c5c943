"""The demo's accounts: one a role, so that a newcomer running `make run` can sign in as
each person the site serves and see what that role may and may not do.

Each role is granted through the role service (`concertation.roles`, the same grant
`manage.py roles grant` makes) on an object of the demo; the moderator, which is not a
role on one object but Wagtail's "Moderators" group (docs/permissions.md), joins that
group. A password is generated when the account is created and returned then only, for
`manage.py load_demo` to print once, as `ensure_admin` does: only its hash is stored. An
account that exists already is left as it is (its password too), so loading again
prints nothing new.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.db.models import Model

from consultations.models import ConsultationRoundPage
from organizations.funding.models import Programme
from organizations.models import Organization

from .roles import roles

MODERATORS_GROUP = "Moderators"
# The round the steward is given: the demo's open consultation (consultations/demo/).
OPEN_ROUND = "policy-update-consultation"


@dataclass(frozen=True)
class DemoAccount:
    """An account of the demo: who it is, and the grants that make its role."""

    username: str
    role: str
    # (role name, model, slug) for each grant through the role service.
    grants: tuple[tuple[str, type[Model], str], ...] = ()
    groups: tuple[str, ...] = ()

    def objects(self) -> list[tuple[str, Model]] | None:
        """The objects of its grants, or None when one is missing from the database."""
        found = []
        for role, model, slug in self.grants:
            instance = model._default_manager.filter(slug=slug).order_by("pk").first()
            if instance is None:
                return None
            found.append((role, instance))
        return found


ACCOUNTS = (
    DemoAccount(
        "demo-steward",
        "round steward of the open consultation",
        grants=(("round-steward", ConsultationRoundPage, OPEN_ROUND),),
    ),
    DemoAccount("demo-moderator", "moderator", groups=(MODERATORS_GROUP,)),
    DemoAccount(
        "demo-finance",
        "programme finance staff",
        grants=(("programme-staff", Programme, "soutien-mission-globale"),),
    ),
    DemoAccount(
        "demo-editor",
        "editor of one organization",
        grants=(("organization-editor", Organization, "centre-des-femmes-de-montreal-nord"),),
    ),
    DemoAccount(
        "demo-coalition-editor",
        "editor of a coalition and of one of its member tables",
        grants=(
            (
                "organization-editor",
                Organization,
                "coalition-des-tables-regionales-dorganismes-communautaires",
            ),
            (
                "organization-editor",
                Organization,
                "table-regionale-des-organismes-communautaires-de-labitibi-temiscamingue",
            ),
        ),
    ),
)


@dataclass(frozen=True)
class Created:
    account: DemoAccount
    password: str


def ensure_demo_accounts(
    make_password: Callable[[], str] = lambda: secrets.token_urlsafe(12),
) -> tuple[list[Created], list[DemoAccount]]:
    """Create the demo accounts that do not exist yet; returns those created, each with
    its password (shown once, never stored in clear), and those left out because the
    demo object their role is given on is missing."""
    User = get_user_model()
    created, missing = [], []
    for account in ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        objects = account.objects()
        if objects is None:
            missing.append(account)
            continue
        password = make_password()
        with transaction.atomic():
            user = User.objects.create_user(username=account.username, password=password)
            _grant(user, account, objects)
        created.append(Created(account, password))
    return created, missing


def _grant(user: AbstractBaseUser, account: DemoAccount, objects: list[tuple[str, Model]]) -> None:
    known = roles()
    for role, instance in objects:
        known[role].grant(user, instance)
    for name in account.groups:
        user.groups.add(Group.objects.get(name=name))
