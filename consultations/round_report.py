"""What a round page shows of the government's response, point by point.

The public sees the points once the response is published; the round's stewards see
their drafts before that, marked as such. A point cites the submissions that said it, but
only those the visitor may read: a brief published without its name is cited without it,
an unpublished one is not cited to the public at all.

A translated round page shows the points of its round's record (decision 011), in its own
language when the point has a translation, else as written, marked with their language.

A constant number of queries however many points: the points, their cited submissions
(prefetched), the submissions the visitor may see, and the next version once.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from .models import ConsultationRoundPage, PolicyVersionPage, ResponsePoint, Submission
from .permissions.stewardship import manages_round


@dataclass(frozen=True)
class Citation:
    submission: Submission
    # The name it is cited under: "" when published without the submitter's name.
    author: str
    published: bool

    @property
    def anchor(self) -> str:
        """Where the round page lists it."""
        return f"submission-{self.submission.pk}"


@dataclass(frozen=True)
class DisplayedPoint:
    point: ResponsePoint
    citations: list[Citation]
    # The comparison with the next version at the point's section; "" when unchanged or
    # when that version is not out yet.
    diff_url: str
    draft: bool
    # What was said and the response as this page shows them, and their language.
    said: str
    response: str
    language: str


def response_context(round_page: ConsultationRoundPage, user) -> dict:
    """`response_points` (a list of `DisplayedPoint`) and `response_is_draft`."""
    is_public = round_page.response_is_public
    if not is_public and not manages_round(user, round_page):
        return {"response_points": [], "response_is_draft": False}
    points = list(
        ResponsePoint.objects.filter(round_page.record_filter())
        .select_related("round__locale", "round__version")
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch(
                "submissions",
                queryset=Submission.objects.select_related("organization", "round").order_by(
                    "submitted_at"
                ),
            )
        )
    )
    if not points:
        return {"response_points": [], "response_is_draft": not is_public}
    visible = set(
        Submission.objects.visible_to(user)
        .filter(round_page.record_filter())
        .values_list("pk", flat=True)
    )
    next_version = _next_version(points, round_page)
    language = round_page.locale.language_code
    return {
        "response_points": [
            _displayed(
                point=point,
                citations=[
                    _citation(submission)
                    for submission in point.submissions.all()
                    if submission.pk in visible
                ],
                diff_url=point.diff_url(next_version) if next_version else "",
                draft=not is_public,
                language=language,
            )
            for point in points
        ],
        "response_is_draft": not is_public,
    }


def _displayed(point: ResponsePoint, language: str, **fields) -> DisplayedPoint:
    said, response, shown_in = point.in_language(language, point.round.locale.language_code)
    return DisplayedPoint(point=point, said=said, response=response, language=shown_in, **fields)


def _next_version(
    points: list[ResponsePoint], round_page: ConsultationRoundPage
) -> PolicyVersionPage | None:
    """Once for the page: every point of a round answers the same version. On a
    translated round page, its translation when there is one, so the comparison is the
    translated policy's."""
    if not any(point.changed_in_next_version for point in points):
        return None
    next_version = points[0].next_version()
    if next_version is None or next_version.locale_id == round_page.locale_id:
        return next_version
    translated = next_version.get_translation_or_none(round_page.locale)
    return translated.specific if translated is not None and translated.live else next_version


def _citation(submission: Submission) -> Citation:
    if submission.is_published:
        return Citation(submission, submission.public_author(), published=True)
    # Only its own organization's editors and the round's stewards get this far.
    return Citation(submission, submission.organization.name, published=False)
