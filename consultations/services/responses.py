"""Writes on the government's response points, each under the lock of its round.

Points are drafted while the round's report is out. Once the round's state is
"government response published" they are on the record — what the government answered,
and to whom — and can no longer be changed or deleted: a correction is said publicly,
not rewritten. `change_round_state` publishes the response under the same row lock, so
a point cannot slip in or change between the check and the publication.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from ..models import ConsultationRoundPage, ResponsePoint, RoundState, Submission


class ResponseOnRecord(ValidationError):
    """A change to a point of a response already published."""


def check_response_open(round_page: ConsultationRoundPage) -> None:
    """Refuse, with the reason, a change to the points of a published response."""
    if round_page.state != RoundState.RESPONSE_PUBLISHED:
        return
    if round_page.response_date:
        message = _(
            "The government's response to “%(round)s” was published on %(date)s: its points "
            "are on the record and can no longer be changed or deleted."
        )
    else:
        message = _(
            "The government's response to “%(round)s” is published: its points are on the "
            "record and can no longer be changed or deleted."
        )
    date = formats.date_format(round_page.response_date) if round_page.response_date else ""
    raise ResponseOnRecord(message % {"round": round_page.title, "date": date})


def lock_open_rounds(*round_ids: int) -> list[ConsultationRoundPage]:
    """Lock the rounds' rows (in a stable order) and check their responses are not
    published yet. Call inside a transaction."""
    rounds = list(
        ConsultationRoundPage.objects.select_for_update()
        .filter(pk__in={pk for pk in round_ids if pk is not None})
        .order_by("pk")
    )
    for round_page in rounds:
        check_response_open(round_page)
    return rounds


@transaction.atomic
def record_point(point: ResponsePoint, submissions: Iterable[Submission] = ()) -> ResponsePoint:
    """Save a new or changed point with the submissions it cites.

    Refused when the response of its round — or of the round it is moved from — is
    published, when it cites a submission sent to another round, or when the model's own
    checks fail (a changed point names its section).
    """
    stored_round_id = (
        ResponsePoint.objects.filter(pk=point.pk).values_list("round_id", flat=True).first()
        if point.pk
        else None
    )
    lock_open_rounds(point.round_id, stored_round_id)
    submissions = list(submissions)
    point.full_clean()
    point.clean_submissions(submissions)
    point.save()
    point.submissions.set(submissions)
    return point


@transaction.atomic
def delete_point(point: ResponsePoint) -> None:
    """Delete a draft point; refused once its round's response is published."""
    lock_open_rounds(point.round_id)
    point.delete()
