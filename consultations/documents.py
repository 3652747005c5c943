"""How policy versions, rounds (with their reports and responses), published submissions
and positions appear in the archive search."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from search.registry import SearchableModel, registry
from search.tasks import enqueue_sync, enqueue_sync_many

from .models import (
    ConsultationRoundPage,
    PolicyVersionPage,
    PositionPage,
    Redaction,
    ResponsePoint,
    Submission,
)
from .signals import round_state_changed


@registry.register
class SearchablePolicyVersion(SearchableModel):
    model = PolicyVersionPage
    label = _("Policy version")
    kind = "policy_version"
    # Not `body`: it is StreamField JSON, and `icontains` on it would match block names
    # and keys ("section", "anchor", "heading", "value") in every version.
    fallback_fields = ("title", "summary_of_changes")

    def get_queryset(self) -> QuerySet:
        return PolicyVersionPage.objects.publicly_visible().select_related("locale")

    def title(self, instance: PolicyVersionPage) -> str:
        return instance.title

    def body(self, instance: PolicyVersionPage) -> str:
        return "\n".join(filter(None, [instance.summary_of_changes, instance.body_text()]))

    def url(self, instance: PolicyVersionPage) -> str:
        return instance.get_url()

    def language(self, instance: PolicyVersionPage) -> str:
        return instance.locale.language_code

    def date(self, instance: PolicyVersionPage):
        return instance.release_date


@registry.register
class SearchableRound(SearchableModel):
    """A round, with its report once published and its response once published.

    Its state changes by a conditional update, not a save: `round_state_changed`
    (connected below) re-syncs it, and the submissions whose visibility follows it.
    """

    model = ConsultationRoundPage
    label = _("Consultation round")
    kind = "consultation_round"
    fallback_fields = ("title", "description")

    def get_queryset(self) -> QuerySet:
        return (
            ConsultationRoundPage.objects.live()
            .public()
            .select_related("locale")
            .prefetch_related(
                Prefetch("response_points", queryset=ResponsePoint.objects.order_by("position"))
            )
        )

    def title(self, instance: ConsultationRoundPage) -> str:
        return instance.title

    def body(self, instance: ConsultationRoundPage) -> str:
        parts = [instance.description]
        if instance.report_is_public:
            parts.append(strip_tags(instance.report))
        if instance.response_is_public:
            for point in instance.response_points.all():
                parts.extend([point.said, point.response])
        return "\n".join(filter(None, parts))

    def url(self, instance: ConsultationRoundPage) -> str:
        return instance.get_url()

    def language(self, instance: ConsultationRoundPage) -> str:
        return instance.locale.language_code

    def date(self, instance: ConsultationRoundPage):
        return instance.response_date or instance.report_date or instance.opens_on


@registry.register
class SearchableSubmission(SearchableModel):
    """A published brief, with redacted passages replaced: the index never holds them."""

    model = Submission
    label = _("Submission")
    kind = "submission"
    fallback_fields = ("title", "summary")
    many_to_many_fields = ("co_signers",)

    def get_queryset(self) -> QuerySet:
        return (
            Submission.objects.published()
            .filter(round__in=ConsultationRoundPage.objects.live().public())
            .select_related("organization", "round__locale")
            .prefetch_related("redactions", "co_signers")
        )

    def title(self, instance: Submission) -> str:
        return instance.title

    def body(self, instance: Submission) -> str:
        voices = ""
        if instance.public_author():
            voices = ", ".join(
                [instance.public_author(), *(o.name for o in instance.co_signers.all())]
            )
        return "\n".join(filter(None, [voices, instance.redacted_summary()]))

    def url(self, instance: Submission) -> str:
        return f"{instance.round.get_url()}#submission-{instance.pk}"

    def language(self, instance: Submission) -> str:
        return instance.round.locale.language_code

    def date(self, instance: Submission):
        return instance.submitted_at

    def pks_following_page(self, page) -> QuerySet:
        rounds = ConsultationRoundPage.objects.descendant_of(page, inclusive=True)
        return Submission.objects.filter(round__in=rounds).values_list("pk", flat=True)

    def fallback_filter(self, terms: list[str]) -> Q:
        """As the default, but a term found inside a redacted passage finds nothing: the
        existence of a hit would confirm what the redaction hides."""
        condition = super().fallback_filter(terms)
        for term in terms:
            condition &= ~Exists(
                Redaction.objects.filter(submission=OuterRef("pk"), passage__icontains=term)
            )
        return condition


@registry.register
class SearchablePosition(SearchableModel):
    model = PositionPage
    label = _("Position")
    kind = "position"
    fallback_fields = ("title",)

    def get_queryset(self) -> QuerySet:
        return (
            PositionPage.objects.live()
            .public()
            .select_related("locale", "organization")
            .prefetch_related("co_signers")
        )

    def title(self, instance: PositionPage) -> str:
        return instance.title

    def body(self, instance: PositionPage) -> str:
        voices = ", ".join(
            [instance.organization.name, *(o.name for o in instance.co_signers.all())]
        )
        return "\n".join([voices, strip_tags(instance.body)])

    def url(self, instance: PositionPage) -> str:
        return instance.get_url()

    def language(self, instance: PositionPage) -> str:
        return instance.locale.language_code

    def date(self, instance: PositionPage):
        return instance.stated_on


@receiver(round_state_changed)
def reindex_round_and_its_submissions(sender, round_page: ConsultationRoundPage, **kwargs) -> None:
    """Whether the report, the response and the submissions are public follows the state."""
    enqueue_sync(SearchableRound.kind, round_page.pk)
    enqueue_sync_many(
        SearchableSubmission.kind, round_page.submissions.values_list("pk", flat=True)
    )


@receiver([post_save, post_delete], sender=Redaction)
def reindex_redacted_submission(sender, instance: Redaction, **kwargs) -> None:
    enqueue_sync(SearchableSubmission.kind, instance.submission_id)


@receiver([post_save, post_delete], sender=ResponsePoint)
def reindex_responded_round(sender, instance: ResponsePoint, **kwargs) -> None:
    enqueue_sync(SearchableRound.kind, instance.round_id)
