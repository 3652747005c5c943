"""Who may download a stored file: the one rule every document download goes through.

Every user file is a Wagtail document served by the documents view, which asks this
module before sending a byte (`before_serve_document` in `wagtail_hooks`):

- the original of a file attached to a brief: the submitting organization's editors,
  the stewards of its round or policy (`consultations.permissions.stewardship`) and superusers;
- a brief's public copy: anyone, once the copy is ready, the brief published
  (`Submission.objects.published`) and the round's page readable by the visitor (its
  Wagtail view restrictions); until then, as the original;
- a document attached to nothing: staff holding a Wagtail document permission.
"""

from django.http import HttpRequest
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.permissions import policy_registry

from ..models import PublicCopy, Submission, SubmissionDocument
from .stewardship import manages_round

STAFF_DOCUMENT_ACTIONS = ("add", "change", "delete", "choose")


def may_read_document(request: HttpRequest, document: AbstractDocument) -> bool:
    user = request.user
    if user.is_active and user.is_superuser:
        return True
    attachment = (
        SubmissionDocument.objects.filter(document=document)
        .select_related("submission__organization", "submission__round")
        .first()
    )
    if attachment is not None:
        return may_read_original(user, attachment.submission)
    copy = (
        PublicCopy.objects.filter(document=document)
        .select_related("attachment__submission__organization", "attachment__submission__round")
        .first()
    )
    if copy is not None:
        submission = copy.attachment.submission
        return (copy.is_ready and _public(request, submission)) or may_read_original(
            user, submission
        )
    documents_policy = policy_registry.get_by_type(get_document_model())
    return user.is_active and documents_policy.user_has_any_permission(user, STAFF_DOCUMENT_ACTIONS)


def may_read_original(user, submission: Submission) -> bool:
    """The organization's editors, the round's stewards, superusers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser
        or submission.may_be_managed_by(user)
        or manages_round(user, submission.round)
    )


def _public(request: HttpRequest, submission: Submission) -> bool:
    if not Submission.objects.published().filter(pk=submission.pk).exists():
        return False
    return all(
        restriction.accept_request(request)
        for restriction in submission.round.get_view_restrictions()
    )
