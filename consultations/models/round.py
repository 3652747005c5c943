"""Consultation rounds: how a policy was put to the sector, and how it went.

A round's state moves only forward, one step at a time, through
`consultations.services.rounds.change_round_state`; the page form shows it but cannot set it.
"""

import datetime

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page, PageManager
from wagtail.query import PageQuerySet

from consultations import page_routes
from organizations.models import Organization


class RoundKind(models.TextChoices):
    PUBLIC_CONSULTATION = "public_consultation", _("Public consultation")
    WORKING_GROUP = "working_group", _("Working group")
    ADVISORY_COMMITTEE_REVIEW = "advisory_committee_review", _("Advisory committee review")
    ROUNDTABLE_SESSION = "roundtable_session", _("Roundtable session")
    COMMENT_PERIOD = "comment_period", _("Comment period")


class RoundState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    REPORT_PUBLISHED = "report_published", _("Report published")
    RESPONSE_PUBLISHED = "response_published", _("Government response published")
    ABANDONED = "abandoned", _("Abandoned")


# The lifecycle: no skipped states; abandoned (with a reason) at any point before the
# report is published.
NEXT_STATES: dict[str, tuple[str, ...]] = {
    RoundState.PLANNED: (RoundState.OPEN, RoundState.ABANDONED),
    RoundState.OPEN: (RoundState.CLOSED, RoundState.ABANDONED),
    RoundState.CLOSED: (RoundState.REPORT_PUBLISHED, RoundState.ABANDONED),
    RoundState.REPORT_PUBLISHED: (RoundState.RESPONSE_PUBLISHED,),
    RoundState.RESPONSE_PUBLISHED: (),
    RoundState.ABANDONED: (),
}


class ConsultationRoundQuerySet(PageQuerySet):
    def records(self) -> "ConsultationRoundQuerySet":
        """The rounds as first recorded, not their translations (`ConsultationRoundPage.record`)."""
        earlier = ConsultationRoundPage.objects.filter(
            translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk")
        )
        return self.filter(~Exists(earlier))

    def with_record_language(self) -> "ConsultationRoundQuerySet":
        """Annotate `record_language` and `record_reason`: the language of each round's
        record and its abandonment's reason as typed, to tell a translated reason from
        the original (`reason_language`, decision 011). No query per round."""
        record = ConsultationRoundPage.objects.filter(
            translation_key=OuterRef("translation_key")
        ).order_by("pk")
        return self.annotate(
            record_language=Subquery(record.values("locale__language_code")[:1]),
            record_reason=Subquery(record.values("abandoned_reason")[:1]),
        )

    def due_to_open(self, today: datetime.date) -> "ConsultationRoundQuerySet":
        return self.records().filter(state=RoundState.PLANNED, opens_on__lte=today)

    def due_to_close(self, today: datetime.date) -> "ConsultationRoundQuerySet":
        return self.records().filter(state=RoundState.OPEN, closes_on__lt=today)

    def open_now(self, today: datetime.date) -> "ConsultationRoundQuerySet":
        """Open and taking briefs today: open, and today between its dates (a round the
        daily `advance_rounds` has not closed yet is not shown as open)."""
        return self.filter(state=RoundState.OPEN, opens_on__lte=today, closes_on__gte=today)


class ConsultationRoundPage(RoutablePageMixin, Page):
    """A round of consultation on a policy, with its convenor, dates and participants.

    Its `submit/` route is the form organizations send their briefs with;
    `submissions/<pk>/edit/` and `submissions/<pk>/withdraw/` let them change or take
    back a brief."""

    kind = models.CharField(_("kind"), max_length=30, choices=RoundKind.choices)
    convenor = models.ForeignKey(
        Organization,
        verbose_name=_("convenor"),
        on_delete=models.PROTECT,
        related_name="rounds_convened",
        null=True,
        blank=True,
    )
    version = models.ForeignKey(
        "consultations.PolicyVersionPage",
        verbose_name=_("version under consultation"),
        on_delete=models.PROTECT,
        related_name="rounds",
        null=True,
        blank=True,
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(
        _("closes on"), help_text=_("The last day submissions are accepted.")
    )
    invited = ParentalManyToManyField(
        Organization,
        verbose_name=_("invited participants"),
        related_name="rounds_invited",
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=RoundState.choices,
        default=RoundState.PLANNED,
        editable=False,
    )
    abandoned_reason = models.TextField(_("why it was abandoned"), blank=True, editable=False)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, editable=False)
    report = RichTextField(
        _("report"),
        blank=True,
        help_text=_(
            "What the round heard, as the convenor reports it. Shown once the round's "
            "state is “report published”."
        ),
    )
    report_date = models.DateField(
        _("report date"),
        null=True,
        blank=True,
        help_text=_("When the report came out; today when left empty at publication."),
    )
    response_date = models.DateField(
        _("response date"),
        null=True,
        blank=True,
        help_text=_(
            "When the government's point-by-point response came out; today when left empty."
        ),
    )

    objects = PageManager.from_queryset(ConsultationRoundQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("convenor")]),
        FieldPanel("version"),
        FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
        FieldPanel("invited"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("report"),
                FieldRowPanel([FieldPanel("report_date"), FieldPanel("response_date")]),
            ],
            heading=_("Report and response"),
        ),
    ]
    parent_page_types = ["consultations.PolicyPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("consultation round")
        verbose_name_plural = _("consultation rounds")
        permissions = [("manage_round", _("Can manage a consultation round"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="round_closes_after_it_opens",
                violation_error_message=_("A round cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=~Q(state=RoundState.ABANDONED) | ~Q(abandoned_reason=""),
                name="abandoned_round_has_a_reason",
                violation_error_message=_("An abandoned round needs the reason."),
            ),
        ]

    @path("submit/", name="submit")
    def submit(self, request):
        return page_routes.answer("round.submit", request, self)

    @path("submissions/<int:pk>/edit/", name="edit_submission")
    def edit_submission(self, request, pk: int):
        return page_routes.answer("round.edit_submission", request, self, pk)

    @path("submissions/<int:pk>/withdraw/", name="withdraw_submission")
    def withdraw_submission(self, request, pk: int):
        return page_routes.answer("round.withdraw_submission", request, self, pk)

    # Changed only by `change_round_state` (copied to every translation): a revision, saved
    # before the last change, must not bring an old state back when it is published.
    STATE_FIELDS = ("state", "abandoned_reason", "state_changed_at")

    def with_content_json(self, content):
        page = super().with_content_json(content)
        stored = ConsultationRoundPage.objects.filter(pk=self.pk).values(*self.STATE_FIELDS)
        for name, value in (stored.first() or {}).items():
            setattr(page, name, value)
        return page

    @cached_property
    def record(self) -> "ConsultationRoundPage":
        """The page that holds this round's record: the briefs, the response points and
        the state all translations share. It is the page the round was first created as
        (the source of its translations: the lowest key of its translation group), so a
        French copy reads the briefs of its English source instead of having its own.
        One query, none when the page has no translation yet."""
        first = (
            ConsultationRoundPage.objects.filter(translation_key=self.translation_key)
            .order_by("pk")
            .first()
        )
        return self if first is None or first.pk == self.pk else first

    @cached_property
    def record_language(self) -> str:
        """The language the round's record — and the reasons its stewards typed — is in
        (set by `with_record_language` on listings)."""
        return self.record.locale.language_code

    @cached_property
    def record_reason(self) -> str:
        return self.record.abandoned_reason

    @property
    def reason_language(self) -> str:
        """The language the abandonment's reason is shown in on this page: the page's own
        when the steward gave its translation, else the record's."""
        if self.abandoned_reason != self.record_reason:
            return self.locale.language_code
        return self.record_language

    @property
    def is_record(self) -> bool:
        return self.record.pk == self.pk

    def record_filter(self, prefix: str = "round") -> Q:
        """The condition on a relation to the round (`prefix`) that matches this round's
        record from any of its translations, without a query."""
        return Q(**{f"{prefix}__translation_key": self.translation_key})

    def get_context(self, request, *args, **kwargs):
        from .submission import Submission

        context = super().get_context(request, *args, **kwargs)
        # The briefs of the round's record, whichever translation is shown.
        context["submissions"] = (
            Submission.objects.visible_to(request.user)
            .filter(self.record_filter())
            .select_related("organization", "round")
            .prefetch_related(
                "co_signatures__organization",
                "documents__document",
                "documents__public_copy__document",
                "redactions",
            )
        )
        # Which of them this visitor may edit or withdraw, in one query for the page.
        context["manageable_submissions"] = set(
            Submission.objects.manageable_by(request.user)
            .filter(self.record_filter())
            .values_list("pk", flat=True)
        )
        from consultations.round_listings import round_entry

        # Its policy and the public version it consults on: what is asked.
        context["round_entry"] = round_entry(self, Locale.get_active())
        from consultations.round_report import response_context

        # The government's response, point by point (stewards also see their drafts).
        context.update(response_context(self, request.user))
        return context

    @property
    def report_is_public(self) -> bool:
        return self.state in (RoundState.REPORT_PUBLISHED, RoundState.RESPONSE_PUBLISHED)

    @property
    def response_is_public(self) -> bool:
        return self.state == RoundState.RESPONSE_PUBLISHED

    @property
    def next_states(self) -> tuple[str, ...]:
        return NEXT_STATES[self.state]

    def accepts_submissions(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.state == RoundState.OPEN and self.opens_on <= today <= self.closes_on

    def days_left(self, today: datetime.date | None = None) -> int | None:
        """Days until the deadline, counting today; None once it has passed."""
        today = today or timezone.localdate()
        if today > self.closes_on:
            return None
        return (self.closes_on - today).days + 1
