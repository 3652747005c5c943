"""Who answers a co-signature request: the editors of the organization it names.

Consent is the named organization's to give, so the grant is the one its editors hold —
the django-guardian object permission `organizations.change_organization` on that
organization (`organizations.permissions.organizations_edited_by`). The model-wide
permission of secretariat staff does not count: keeping every profile up to date is not
speaking in every organization's voice. The editors of the record's own organization
name co-signers; they never answer for them.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from organizations.models import Organization
from organizations.permissions import organizations_edited_by

User = AbstractBaseUser | AnonymousUser


def organizations_answering_for(user: User) -> QuerySet[Organization]:
    """The organizations whose co-signature requests `user` may confirm or decline."""
    return organizations_edited_by(user)


def may_answer(user: User, organization_id: int) -> bool:
    """Whether `user` may confirm or decline a co-signature asked of `organization_id`."""
    return organizations_answering_for(user).filter(pk=organization_id).exists()
