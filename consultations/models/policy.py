"""The index of policies and each policy: a government policy that goes through versions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from consultations import page_routes
from organizations.models import OrganizationKind


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
        context["policies"] = (
            PolicyPage.objects.child_of(self)
            .live()
            .public()
            .specific()
            .select_related("lead_ministry")
        )
        return context


class PolicyPage(RoutablePageMixin, Page):
    """A government policy, led by a ministry, that goes through draft versions.

    Its routes (`views.py`) add the comparison of two versions.
    """

    summary = RichTextField(_("summary"), blank=True)
    lead_ministry = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("lead ministry"),
        on_delete=models.PROTECT,
        related_name="policies_led",
        null=True,
        blank=True,
        limit_choices_to={"kind": OrganizationKind.GOVERNMENT},
    )
    responsible_secretariat = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("responsible secretariat"),
        on_delete=models.PROTECT,
        related_name="policies_coordinated",
        null=True,
        blank=True,
        limit_choices_to={"kind": OrganizationKind.GOVERNMENT},
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead_ministry"),
        FieldPanel("responsible_secretariat"),
        FieldPanel("summary"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["consultations.PolicyIndexPage"]
    subpage_types = ["consultations.PolicyVersionPage", "consultations.ConsultationRoundPage"]

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        permissions = [("manage_policy", _("Can manage a policy, its versions and rounds"))]

    def public_versions(self):
        from .version import PolicyVersionPage

        return PolicyVersionPage.objects.child_of(self).publicly_visible().order_by("number")

    @path("compare/", name="compare")
    def compare(self, request):
        return page_routes.answer("policy.compare", request, self)

    def get_context(self, request, *args, **kwargs):
        from consultations.quality import consultation_quality, version_openness

        context = super().get_context(request, *args, **kwargs)
        versions = list(self.public_versions().prefetch_related("accesses__recipient"))
        context["versions"] = versions
        context["openness"] = [version_openness(version) for version in versions]
        context["rounds"] = rounds = list(self.public_rounds())
        context["quality"] = consultation_quality(rounds)
        return context

    def public_rounds(self):
        """Live, public rounds of this policy, in the page's language when translated,
        else in the language they were recorded in (a round's briefs, report and
        response belong to the round page they were sent to)."""
        from .round import ConsultationRoundPage

        under_any_translation = models.Q()
        for translation in PolicyPage.objects.filter(translation_key=self.translation_key):
            under_any_translation |= models.Q(
                path__startswith=translation.path, depth=translation.depth + 1
            )
        rounds = ConsultationRoundPage.objects.live().public().filter(under_any_translation)
        translated = rounds.filter(locale=self.locale).values("translation_key")
        return (
            rounds.filter(models.Q(locale=self.locale) | ~models.Q(translation_key__in=translated))
            .select_related("convenor", "locale")
            .with_record_language()
            .order_by("opens_on")
        )

    def public_positions(self):
        """Live, public positions on this policy (or one of its versions), in the page's
        language when translated, else in the language they were written in."""
        from .position import PositionPage

        positions = (
            PositionPage.objects.live()
            .public()
            .filter(policy__translation_key=self.translation_key)
        )
        translated = positions.filter(locale=self.locale).values("translation_key")
        return (
            positions.filter(
                models.Q(locale=self.locale) | ~models.Q(translation_key__in=translated)
            )
            .select_related("organization", "version")
            .order_by("-stated_on", "-pk")
        )
