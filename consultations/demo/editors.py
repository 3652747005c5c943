"""The demo's editor accounts: the people who send briefs and answer co-signature
requests for the demo organizations, as an editor would in the admin."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from organizations.models import Organization
from organizations.permissions import grant_editor

from ..services.cosigning import answer_co_signature


def demo_editor(organization: Organization) -> AbstractBaseUser:
    """A demo account that edits `organization`, without a usable password (give it one
    with `manage.py changepassword editor-<slug>` to try an editor's screens)."""
    username = f"editor-{organization.slug}"[:150]
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
    grant_editor(user, organization)
    return user


def confirm_co_signatures(co_signatures: QuerySet) -> None:
    """Each co-signature confirmed by a demo editor of its organization."""
    for co_signature in co_signatures.select_related("organization"):
        answer_co_signature(co_signature, demo_editor(co_signature.organization), confirm=True)
