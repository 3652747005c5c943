"""A draft version of a policy: its status, its text in addressable sections."""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from consultations.blocks import POLICY_TEXT_BLOCKS


class VersionStatus(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    RELEASED = "released", pgettext_lazy("version status", "Released")
    UNDER_CONSULTATION = "under_consultation", _("Under consultation")
    SUPERSEDED = "superseded", _("Superseded")
    ADOPTED = "adopted", _("Adopted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Once a version is out of the government's hands its text is fixed: a correction is a
# new version, so that who saw which text, and what changed, stays on the record.
RELEASED_STATUSES = frozenset(VersionStatus) - {VersionStatus.INTERNAL}
FIXED_FIELDS = ("number", "release_date", "body", "summary_of_changes")


class PolicyVersionQuerySet(PageQuerySet):
    def released(self) -> "PolicyVersionQuerySet":
        """Published and released (never internal), view restrictions aside: what the
        site serves to those the restrictions let in."""
        return self.live().exclude(status=VersionStatus.INTERNAL)

    def publicly_visible(self) -> "PolicyVersionQuerySet":
        """Released and not behind a view restriction."""
        return self.released().public()


class PolicyVersionPage(Page):
    """One draft version of a policy, its text in addressable sections."""

    number = models.PositiveSmallIntegerField(
        _("version number"), help_text=_("1 for the first version of the policy, and so on.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.INTERNAL
    )
    release_date = models.DateField(
        _("release date"), null=True, blank=True, help_text=_("When it was made public.")
    )
    summary_of_changes = models.TextField(_("summary of changes"), blank=True)
    body = StreamField(POLICY_TEXT_BLOCKS, verbose_name=_("text"), blank=True)

    objects = PageManager.from_queryset(PolicyVersionQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("number"), FieldPanel("status"), FieldPanel("release_date")]),
        FieldPanel("summary_of_changes"),
        FieldPanel("body"),
        InlinePanel(
            "accesses",
            heading=_("Seen before publication"),
            help_text=_("Who received this version before its public release, and when."),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary_of_changes"),
        index.SearchField("body"),
    ]
    parent_page_types = ["consultations.PolicyPage"]
    subpage_types: list[str] = []
    # base_form_class: `consultations.admin_forms.PolicyVersionForm`, set by
    # `ConsultationsConfig.ready()` (a model does not import forms).

    class Meta:
        verbose_name = _("policy version")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=VersionStatus.INTERNAL)
                | models.Q(release_date__isnull=False),
                name="released_version_has_release_date",
                violation_error_message=_("A released version needs its release date."),
            )
        ]

    @property
    def is_released(self) -> bool:
        return self.status in RELEASED_STATUSES

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.is_released and self.release_date is None:
            errors["release_date"] = _("A released version needs its release date.")
        if self.pk and self.number_taken(self.get_parent()):
            errors["number"] = _("This policy already has a version with this number.")
        if self.pk:
            stored = PolicyVersionPage.objects.filter(pk=self.pk).first()
            if stored is not None and stored.live and stored.is_released:
                changed = [
                    name
                    for name in FIXED_FIELDS
                    if _prepared(self, name) != _prepared(stored, name)
                ]
                for name in changed:
                    errors[name] = _(
                        "This version has been released: its text is fixed. Record a "
                        "correction as a new version."
                    )
        if errors:
            raise ValidationError(errors)

    def number_taken(self, policy: Page) -> bool:
        """Whether another version of `policy`, in this language, has this number."""
        return (
            PolicyVersionPage.objects.child_of(policy)
            .filter(number=self.number, locale_id=self.locale_id)
            .exclude(pk=self.pk)
            .exists()
        )

    def serve(self, request, *args, **kwargs):
        """Internal versions are for the government's eyes: never served to visitors."""
        if not self.is_released and not self.permissions_for_user(request.user).can_edit():
            raise Http404
        return super().serve(request, *args, **kwargs)

    def sections(self) -> list[dict]:
        """The sections in order: anchor, heading and plain text (for diffs and search)."""
        return [
            {
                "anchor": block.value["anchor"],
                "heading": block.value["heading"],
                "text": strip_tags(block.value["text"].source),
            }
            for block in self.body
            if block.block_type == "section"
        ]


def _prepared(page: PolicyVersionPage, name: str):
    value = getattr(page, name)
    if name == "body":
        return [(block.block_type, block.block.get_prep_value(block.value)) for block in value]
    return value
