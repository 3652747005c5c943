"""Co-signature writes: naming co-signers (a request each) and answering a request.

Naming an organization as co-signer of a brief or a position only asks it: the
co-signature is recorded "requested" and nothing public shows it. One of the named
organization's editors (`consultations.permissions.cosigning`) confirms it — from then on
the pages, the search documents and their facets show it — or declines it, which keeps
it off them for good: a declined organization is not asked again. A confirmed
co-signature may be withdrawn by the same editors (it becomes declined). Each decision
re-indexes the record after commit.

Tests build their data through these functions too.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization

from ..models import (
    CoSignatureState,
    PositionCoSignature,
    PositionPage,
    Submission,
    SubmissionCoSignature,
)
from ..models.cosignature import CoSignature
from ..permissions.cosigning import may_answer

# Where a decision may come from: a request is confirmed or declined; a confirmation
# may be withdrawn (declined); a decline is final.
ANSWERABLE = {
    CoSignatureState.CONFIRMED: (CoSignatureState.REQUESTED,),
    CoSignatureState.DECLINED: (CoSignatureState.REQUESTED, CoSignatureState.CONFIRMED),
}


def _name(
    co_signatures,
    model: type[CoSignature],
    record: dict,
    own_organization_id: int,
    organizations: Iterable[Organization],
    user: AbstractBaseUser | None,
) -> None:
    """Make the organizations named on a record exactly `organizations` (less the
    record's own): new ones are asked, ones no longer named lose their request or
    co-signature; a declined one stays declined and may not be named again."""
    wanted = {organization.pk for organization in organizations} - {own_organization_id}
    existing = {co_signature.organization_id: co_signature for co_signature in co_signatures}
    declined = sorted(
        existing[pk].organization.name
        for pk in wanted & existing.keys()
        if existing[pk].state == CoSignatureState.DECLINED
    )
    if declined:
        raise ValidationError(
            {
                "co_signers": _(
                    "These organizations declined to co-sign and cannot be asked again: %(names)s."
                )
                % {"names": ", ".join(declined)}
            }
        )
    model.objects.filter(
        pk__in=[
            co_signature.pk
            for pk, co_signature in existing.items()
            if pk not in wanted and co_signature.state != CoSignatureState.DECLINED
        ]
    ).delete()
    model.objects.bulk_create(
        model(**record, organization_id=pk, requested_by=user)
        for pk in sorted(wanted - existing.keys())
    )


def name_brief_co_signers(
    submission: Submission,
    organizations: Iterable[Organization],
    user: AbstractBaseUser | None,
) -> None:
    """Ask `organizations` to co-sign `submission`. Called by `submit_brief` and
    `update_submission`, which check the user and lock the brief."""
    _name(
        submission.co_signatures.select_related("organization"),
        SubmissionCoSignature,
        {"submission": submission},
        submission.organization_id,
        organizations,
        user,
    )


@transaction.atomic
def name_position_co_signers(
    position: PositionPage,
    organizations: Iterable[Organization],
    user: AbstractBaseUser,
) -> None:
    """Ask `organizations` to co-sign `position`, by someone who may edit it. Recorded on
    the first page of its translations (locked), so each organization is asked once
    whatever the language it was named in."""
    if not position.permissions_for_user(user).can_edit():
        raise PermissionDenied
    original = PositionPage.objects.select_for_update().get(pk=position.translation_original().pk)
    _name(
        original.co_signatures.select_related("organization"),
        PositionCoSignature,
        {"position": original},
        original.organization_id,
        organizations,
        user,
    )


def named_co_signers(co_signatures) -> list[Organization]:
    """The organizations still named (asked or confirmed) among `co_signatures`, for a
    form's initial choice."""
    return [co_signature.organization for co_signature in co_signatures.named()]


@transaction.atomic
def answer_co_signature(co_signature: CoSignature, user: AbstractBaseUser, *, confirm: bool):
    """Confirm or decline a co-signature, by an editor of the organization it names.

    A conditional update from the states the decision may come from, so two editors
    answering at once cannot both decide (the second is told it was already answered).
    The record is re-indexed after commit: its documents and facets name confirmed
    co-signers only.
    """
    if not may_answer(user, co_signature.organization_id):
        raise PermissionDenied
    state = CoSignatureState.CONFIRMED if confirm else CoSignatureState.DECLINED
    updated = (
        type(co_signature)
        .objects.filter(pk=co_signature.pk, state__in=ANSWERABLE[state])
        .update(state=state, decided_by=user, decided_at=timezone.now())
    )
    if not updated:
        raise ValidationError(
            _("This co-signature was already answered (%(state)s).")
            % {
                "state": CoSignatureState(
                    type(co_signature).objects.get(pk=co_signature.pk).state
                ).label
            },
            code="already_answered",
        )
    co_signature.refresh_from_db()
    from ..documents import reindex_co_signed

    reindex_co_signed(co_signature)
    return co_signature
