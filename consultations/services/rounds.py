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
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model

from organizations.models import Organization

from ..models import (
    ConsultationRoundPage,
    Publication,
    RoundState,
    RoundStateChange,
    Submission,
    SubmissionDocument,
)
from ..models.submission import PUBLICITY
from ..signals import round_state_changed
from ..uploads import brief_limit_errors, check_documents
from .cosigning import name_brief_co_signers

# What a round's translations copy from its record at each change of state: the state
# and its dates; the abandonment's reason too, unless the steward gave its translation
# (decision 011).
RECORD_STATE = ("state", "abandoned_reason", "state_changed_at", "report_date", "response_date")


class StateChangeRefused(ValidationError):
    """A state change the lifecycle does not allow; the message lists the allowed ones."""


@transaction.atomic
def change_round_state(
    round_page: ConsultationRoundPage,
    new_state: str,
    *,
    reason: str = "",
    reason_translation: str = "",
) -> ConsultationRoundPage:
    """Move a round one step along its lifecycle.

    The row is locked and the update is conditional on the state it had when read, so two
    staff members changing the same round at once cannot skip a state between them (and
    on SQLite, where the lock is a no-op, the conditional update still holds).

    A round's translations share its record (`ConsultationRoundPage.record`): the change
    is made on the record, checked against its report and points, and copied to every
    translation, so each language's page shows the same state and dates. It is added to
    the record's history (`RoundStateChange`) in the same transaction.
    """
    current = ConsultationRoundPage.objects.select_for_update().get(pk=round_page.record.pk)
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
    copied = ConsultationRoundPage.objects.filter(pk=current.pk).values(*RECORD_STATE).get()
    # The history keeps every change, on the record, with the reason as typed.
    RoundStateChange.objects.create(
        round=current,
        state=new_state,
        changed_at=copied["state_changed_at"],
        abandoned_reason=copied["abandoned_reason"],
    )
    if new_state == RoundState.ABANDONED and reason_translation.strip():
        # The reason in the site's other language, for the round's translated pages.
        copied["abandoned_reason"] = reason_translation.strip()
    ConsultationRoundPage.objects.filter(translation_key=current.translation_key).exclude(
        pk=current.pk
    ).update(**copied)
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
    # The files are inspected before the round is locked: a slow file must not hold up
    # every other submitter of the round (nor its closing).
    file_errors = brief_limit_errors(files) or check_documents(files)
    # A brief sent from a translated round page belongs to the round's record.
    locked = ConsultationRoundPage.objects.select_for_update().get(pk=round_page.record.pk)
    if not locked.accepts_submissions(today):
        raise ValidationError(
            {
                "round": _(
                    "This round does not accept submissions (%(state)s, %(opens)s – %(closes)s)."
                )
                % {
                    "state": locked.get_state_display(),
                    "opens": date_format(locked.opens_on),
                    "closes": date_format(locked.closes_on),
                }
            }
        )
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
        # Sent from the round's French page, it is a French brief (decision 011).
        language=round_page.locale.language_code,
    )
    name_brief_co_signers(submission, co_signers, user)
    submission.save()
    Document = get_document_model()
    for upload in files:
        document = Document.objects.create(title=upload.name, file=upload, uploaded_by_user=user)
        SubmissionDocument.objects.create(submission=submission, document=document)
    return submission


def _refuse_unless_manager(submission: Submission, user: AbstractBaseUser) -> None:
    if not submission.may_be_managed_by(user):
        raise PermissionDenied


def _kept_sizes(attachments) -> list[int]:
    return [attachment.document.get_file_size() or 0 for attachment in attachments]


def _same_text(stored: str, given: str) -> bool:
    """Browsers send a textarea's line breaks as CRLF; that is no change."""
    return stored.replace("\r\n", "\n").strip() == given.replace("\r\n", "\n").strip()


def _store_documents(
    submission: Submission, files: Sequence[UploadedFile], user: AbstractBaseUser
) -> None:
    Document = get_document_model()
    for upload in files:
        document = Document.objects.create(title=upload.name, file=upload, uploaded_by_user=user)
        SubmissionDocument.objects.create(submission=submission, document=document)


def _delete_attachments(attachments) -> None:
    """Remove attachments and their Wagtail documents (Wagtail deletes the files once
    the transaction commits)."""
    document_ids = [attachment.document_id for attachment in attachments]
    SubmissionDocument.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    get_document_model().objects.filter(pk__in=document_ids).delete()


@transaction.atomic
def update_submission(
    submission: Submission,
    user: AbstractBaseUser,
    *,
    title: str,
    summary: str,
    sections: str,
    co_signers: Sequence[Organization],
    publication: str,
    add_files: Sequence[UploadedFile] = (),
    remove_documents: Sequence[SubmissionDocument] = (),
    today: datetime.date | None = None,
) -> Submission:
    """Change a brief, all or nothing, by an editor of the organization that sent it.

    While the round accepts submissions everything may change: new files are checked
    before any is stored, removed documents are deleted. Once it has stopped, the brief
    is part of what the round heard, so only the publication choice may change, and only
    towards less publicity — a submitter may always withdraw consent to publication but
    never widen it after the deadline. The round row is locked, as in `submit_brief`, so
    a closing cannot slip in between the check and the write.
    """
    _refuse_unless_manager(submission, user)
    if publication not in Publication.values:
        raise ValidationError({"publication": _("Choose how the brief may be published.")})
    # As in `submit_brief`, new files are inspected before anything is locked; the
    # brief's limits are checked again under the lock, against the documents it keeps.
    removed = {d.pk for d in remove_documents}
    file_errors = brief_limit_errors(
        add_files,
        _kept_sizes(a for a in submission.documents.all() if a.pk not in removed),
    ) or check_documents(add_files)
    locked_round = ConsultationRoundPage.objects.select_for_update().get(pk=submission.round_id)
    current = Submission.objects.select_for_update().get(pk=submission.pk)
    co_signer_ids = {o.pk for o in co_signers if o.pk != current.organization_id}
    attached = {a.pk: a for a in current.documents.all()}
    unknown = [d for d in remove_documents if d.pk not in attached]
    if unknown:
        raise ValidationError(
            {"remove_documents": _("Only this brief's own documents can be removed.")}
        )
    if not locked_round.accepts_submissions(today):
        _refuse_changes_after_closing(
            locked_round,
            current,
            {
                "title": not _same_text(current.title, title),
                "summary": not _same_text(current.summary, summary),
                "sections": not _same_text(current.sections, sections),
                "co_signers": co_signer_ids
                != set(current.co_signatures.named().values_list("organization_id", flat=True)),
                "documents": bool(add_files),
                "remove_documents": bool(remove_documents),
            },
            publication,
        )
        current.publication = publication
        current.save()
        return current

    file_errors = file_errors or brief_limit_errors(
        add_files, _kept_sizes(a for a in attached.values() if a.pk not in removed)
    )
    if file_errors:
        raise ValidationError({"documents": file_errors})
    if not _same_text(current.title, title):
        current.title = title
    if not _same_text(current.summary, summary):
        current.summary = summary
    if not _same_text(current.sections, sections):
        current.sections = sections
    current.publication = publication
    name_brief_co_signers(current, co_signers, user)
    current.save()
    _delete_attachments([attached[d.pk] for d in remove_documents])
    _store_documents(current, add_files, user)
    return current


def _refuse_changes_after_closing(
    round_page: ConsultationRoundPage,
    current: Submission,
    changed: dict[str, bool],
    publication: str,
) -> None:
    """Name every field that may no longer change, and a widened publication choice."""
    labels = {
        "title": _("the title"),
        "summary": _("the summary"),
        "sections": _("the sections answered"),
        "co_signers": _("the co-signers"),
        "documents": _("the documents (none can be added)"),
        "remove_documents": _("the documents (none can be removed)"),
    }
    closes = date_format(round_page.closes_on)
    errors: dict[str, str] = {
        field: _(
            "The round stopped accepting submissions after %(closes)s, so %(field)s "
            "can no longer change."
        )
        % {"closes": closes, "field": labels[field]}
        for field, is_changed in changed.items()
        if is_changed
    }
    if PUBLICITY[publication] > PUBLICITY[current.publication]:
        errors["publication"] = _(
            "The round stopped accepting submissions after %(closes)s, so the publication "
            "choice can only be narrowed (with the name, then without it, then not at "
            "all), never widened beyond “%(current)s”."
        ) % {"closes": closes, "current": Publication(current.publication).label}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def withdraw_submission(
    submission: Submission, user: AbstractBaseUser, today: datetime.date | None = None
) -> None:
    """Withdraw a brief while its round still accepts submissions: the brief and its
    documents (the Wagtail documents and their files too) are deleted.

    After the deadline the brief is part of what the round heard and stays; its
    submitter may still choose not to have it published (`update_submission`).
    """
    _refuse_unless_manager(submission, user)
    locked_round = ConsultationRoundPage.objects.select_for_update().get(pk=submission.round_id)
    current = Submission.objects.select_for_update().get(pk=submission.pk)
    if not locked_round.accepts_submissions(today):
        raise ValidationError(
            _(
                "The round stopped accepting submissions after %(closes)s: the brief is "
                "part of what it heard and can no longer be withdrawn. You may still "
                "choose not to have it published."
            )
            % {"closes": date_format(locked_round.closes_on)},
            code="round_closed",
        )
    attachments = list(current.documents.all())
    document_ids = [attachment.document_id for attachment in attachments]
    current.delete()
    get_document_model().objects.filter(pk__in=document_ids).delete()
