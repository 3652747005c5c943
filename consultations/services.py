"""Writes on consultation rounds, each in one transaction.

Tests build their data through these functions too.
"""

import datetime
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model

from organizations.models import Organization

from .models import (
    ConsultationRoundPage,
    Publication,
    RoundState,
    Submission,
    SubmissionDocument,
)
from .signals import round_state_changed
from .uploads import check_document


class StateChangeRefused(ValidationError):
    """A state change the lifecycle does not allow; the message lists the allowed ones."""


@transaction.atomic
def change_round_state(
    round_page: ConsultationRoundPage, new_state: str, *, reason: str = ""
) -> ConsultationRoundPage:
    """Move a round one step along its lifecycle.

    The row is locked and the update is conditional on the state it had when read, so two
    staff members changing the same round at once cannot skip a state between them (and
    on SQLite, where the lock is a no-op, the conditional update still holds).
    """
    current = ConsultationRoundPage.objects.select_for_update().get(pk=round_page.pk)
    allowed = current.next_states
    if new_state not in allowed:
        labels = ", ".join(str(RoundState(state).label) for state in allowed) or _("none")
        raise StateChangeRefused(
            _(
                "A round that is “%(current)s” cannot become “%(new)s”; "
                "allowed next states: %(allowed)s."
            )
            % {
                "current": RoundState(current.state).label,
                "new": RoundState(new_state).label if new_state in RoundState.values else new_state,
                "allowed": labels,
            }
        )
    if new_state == RoundState.ABANDONED and not reason.strip():
        raise ValidationError({"reason": _("Say why the round was abandoned.")})
    changes = {}
    if new_state == RoundState.REPORT_PUBLISHED:
        if not strip_tags(current.report).strip():
            raise ValidationError(
                {"report": _("Write the round's report (and publish the page) first.")}
            )
        changes["report_date"] = current.report_date or timezone.localdate()
    if new_state == RoundState.RESPONSE_PUBLISHED:
        if not current.response_points.exists():
            raise ValidationError(
                {"response_points": _("Write at least one response point first.")}
            )
        changes["response_date"] = current.response_date or timezone.localdate()
    updated = ConsultationRoundPage.objects.filter(pk=current.pk, state=current.state).update(
        state=new_state,
        abandoned_reason=reason.strip() if new_state == RoundState.ABANDONED else "",
        state_changed_at=timezone.now(),
        **changes,
    )
    if not updated:
        raise StateChangeRefused(_("The round changed meanwhile; reload it and try again."))
    round_page.refresh_from_db()
    round_state_changed.send(sender=ConsultationRoundPage, round_page=round_page)
    return round_page


def advance_due_rounds(today: datetime.date | None = None) -> dict[str, int]:
    """Open the planned rounds whose opening day has come and close the open rounds whose
    last day has passed; returns how many of each. Run daily (`advance_rounds`)."""
    today = today or timezone.localdate()
    counts = {"opened": 0, "closed": 0}
    for round_page in ConsultationRoundPage.objects.due_to_open(today):
        change_round_state(round_page, RoundState.OPEN)
        counts["opened"] += 1
    for round_page in ConsultationRoundPage.objects.due_to_close(today):
        change_round_state(round_page, RoundState.CLOSED)
        counts["closed"] += 1
    return counts


@transaction.atomic
def submit_brief(
    round_page: ConsultationRoundPage,
    organization: Organization,
    user: AbstractBaseUser,
    *,
    title: str,
    summary: str,
    files: Sequence[UploadedFile] = (),
    co_signers: Sequence[Organization] = (),
    sections: str = "",
    publication: str = Publication.NAMED,
    today: datetime.date | None = None,
) -> Submission:
    """Record an organization's brief to a round, with its documents, all or nothing.

    Refused when the round does not accept submissions today (the round row is locked,
    so a closing cannot slip in between the check and the write), when the user does
    not edit the organization, or when a file is not an acceptable document — checked
    before any file is stored.
    """
    if not user.has_perm("organizations.change_organization", organization) and not (
        user.has_perm("organizations.change_organization")
    ):
        raise PermissionDenied
    locked = ConsultationRoundPage.objects.select_for_update().get(pk=round_page.pk)
    if not locked.accepts_submissions(today):
        raise ValidationError(
            {
                "round": _(
                    "This round does not accept submissions (%(state)s, %(opens)s – %(closes)s)."
                )
                % {
                    "state": locked.get_state_display(),
                    "opens": locked.opens_on,
                    "closes": locked.closes_on,
                }
            }
        )
    file_errors = []
    for upload in files:
        try:
            check_document(upload)
        except ValidationError as error:
            file_errors.extend(error.messages)
    if file_errors:
        raise ValidationError({"documents": file_errors})

    submission = Submission.objects.create(
        round=locked,
        organization=organization,
        title=title,
        summary=summary,
        sections=sections,
        publication=publication,
        submitted_by=user,
    )
    submission.co_signers.set([o for o in co_signers if o.pk != organization.pk])
    submission.save()
    Document = get_document_model()
    for upload in files:
        document = Document.objects.create(title=upload.name, file=upload, uploaded_by_user=user)
        SubmissionDocument.objects.create(submission=submission, document=document)
    return submission
