"""The government's response to a round, point by point.

Each point says what was said and by whom (the submissions that said it), what the
government answers, and whether the next version of the policy changed because of it —
linked to that section's diff. Points are drafted while the round's report is out and
are public only once the round's state is "government response published".

A point is written in the language of its round's record (`ConsultationRoundPage.record`)
and may carry its translation into the site's other language (`said_translation`,
`response_translation`): the round's translated page shows the translation, or the
original marked with its language when there is none (decision 011).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .round import ConsultationRoundPage, RoundState
from .submission import Submission
from .version import PolicyVersionPage


class ResponsePointQuerySet(models.QuerySet):
    def published(self) -> "ResponsePointQuerySet":
        return self.filter(round__state=RoundState.RESPONSE_PUBLISHED, round__live=True)


class ResponsePoint(models.Model):
    round = models.ForeignKey(
        ConsultationRoundPage,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="response_points",
    )
    position = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Points are shown in this order.")
    )
    said = models.TextField(_("what was said"))
    submissions = models.ManyToManyField(
        Submission,
        verbose_name=_("said in the submissions"),
        related_name="response_points",
        blank=True,
    )
    section = models.CharField(
        _("section"),
        max_length=20,
        blank=True,
        help_text=_("Anchor of the section of the version under consultation, e.g. 2."),
    )
    response = models.TextField(_("the government's response"))
    said_translation = models.TextField(
        _("what was said, translated"),
        blank=True,
        help_text=_(
            "In the site's other language (French for a round recorded in English), for "
            "the round's translated page; left empty, that page shows the original."
        ),
    )
    response_translation = models.TextField(
        _("the government's response, translated"),
        blank=True,
        help_text=_("In the site's other language, as above."),
    )
    changed_in_next_version = models.BooleanField(_("changed in the next version"), default=False)

    objects = ResponsePointQuerySet.as_manager()

    class Meta:
        ordering = ["round", "position", "pk"]
        verbose_name = _("response point")
        verbose_name_plural = _("response points")
        constraints = [
            models.CheckConstraint(
                condition=Q(changed_in_next_version=False) | ~Q(section=""),
                name="changed_point_names_its_section",
                violation_error_message=_(
                    "Name the section that changed, so the point links to its diff."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.said[:80]

    def clean(self) -> None:
        super().clean()
        if self.round_id and not self.round.is_record:
            raise ValidationError(
                {
                    "round": _(
                        "Choose the round as it was first recorded (“%(record)s”): its "
                        "translations share its response."
                    )
                    % {"record": self.round.record.title}
                }
            )
        if self.changed_in_next_version and not self.section.strip():
            raise ValidationError(
                {"section": _("Name the section that changed, so the point links to its diff.")}
            )

    def clean_submissions(self, submissions) -> None:
        """Submissions a point cites belong to its round (a many-to-many cannot be
        checked by the database, so forms and services call this)."""
        strays = [s for s in submissions if s.round_id != self.round_id]
        if strays:
            raise ValidationError(
                {
                    "submissions": _("These submissions were sent to another round: %(titles)s.")
                    % {"titles": ", ".join(s.title for s in strays)}
                }
            )

    def in_language(self, language: str, original: str) -> tuple[str, str, str]:
        """What was said and the response as a page in `language` shows them, with the
        language they are in: the translation when the round's record is in another
        language and the point has one, else the original (in `original`, the record's
        language)."""
        if language != original and self.said_translation and self.response_translation:
            return self.said_translation, self.response_translation, language
        return self.said, self.response, original

    def next_version(self) -> PolicyVersionPage | None:
        """The first public version of the policy after the one under consultation."""
        consulted = self.round.version
        if consulted is None:
            return None
        return (
            PolicyVersionPage.objects.sibling_of(consulted)
            .publicly_visible()
            .filter(number__gt=consulted.number)
            .order_by("number")
            .first()
        )

    def diff_url(self, next_version: PolicyVersionPage | None = None) -> str:
        """The comparison of the consulted version with the next, at this section."""
        next_version = next_version or self.next_version()
        if not (self.changed_in_next_version and next_version and self.section):
            return ""
        policy = next_version.get_parent().specific
        return (
            f"{policy.url}compare/?from={self.round.version.number}&to={next_version.number}"
            f"#section-{slugify(self.section)}"
        )
