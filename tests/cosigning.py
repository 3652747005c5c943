"""Co-signatures answered as the named organizations' editors would: through the
service, by an editor of each (made on the spot)."""

from consultations.services.cosigning import answer_co_signature
from organizations.permissions import grant_editor
from tests.factories import UserFactory


def editor_of(organization, username: str = ""):
    """A new editor of `organization` (the guardian object permission)."""
    user = UserFactory(username=username or f"co-signer-editor-{organization.slug}")
    grant_editor(user, organization)
    return user


def answer_all(co_signatures, *, confirm: bool = True) -> None:
    """Each co-signature in `co_signatures` confirmed (or declined) by a new editor of
    its organization."""
    for co_signature in co_signatures.select_related("organization"):
        answer_co_signature(co_signature, editor_of(co_signature.organization), confirm=confirm)
