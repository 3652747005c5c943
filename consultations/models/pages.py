"""The page tree of policies: an index of policies, each policy and its draft versions."""

from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from consultations.blocks import POLICY_TEXT_BLOCKS


class PolicyIndexPage(Page):
    """The list of every policy in the archive."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["concertation.HomePage"]
    subpage_types = ["consultations.PolicyPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("policy index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["policies"] = PolicyPage.objects.child_of(self).live().specific()
        return context


class PolicyPage(Page):
    """A government policy, led by a ministry, that goes through draft versions."""

    summary = RichTextField(_("summary"), blank=True)
    lead_ministry = models.CharField(_("lead ministry"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("lead_ministry"), FieldPanel("summary")]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["consultations.PolicyIndexPage"]
    subpage_types = ["consultations.PolicyVersionPage"]

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["versions"] = (
            PolicyVersionPage.objects.child_of(self).live().order_by("release_date")
        )
        return context


class PolicyVersionPage(Page):
    """One draft version of a policy, its text in addressable sections."""

    release_date = models.DateField(_("release date"), null=True, blank=True)
    summary_of_changes = models.TextField(_("summary of changes"), blank=True)
    body = StreamField(POLICY_TEXT_BLOCKS, verbose_name=_("text"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("release_date"),
        FieldPanel("summary_of_changes"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary_of_changes"),
        index.SearchField("body"),
    ]
    parent_page_types = ["consultations.PolicyPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("policy version")

    def body_text(self) -> str:
        """The plain text of every section, headings included, for indexing."""
        parts = []
        for block in self.body:
            if block.block_type == "section":
                parts.append(block.value["heading"])
                parts.append(strip_tags(block.value["text"].source))
        return "\n".join(part for part in parts if part)
