"""The site's home page; the other page types live in their domain apps."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["consultations.PolicyIndexPage", "consultations.PositionIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        """The whole product at a glance, in a constant number of queries: the rounds
        open now, the latest versions and reports, the catalogue's size."""
        from consultations.models import PolicyPage, PolicyVersionPage
        from consultations.round_listings import latest_reports, rounds_open_now
        from organizations.models import Organization

        context = super().get_context(request, *args, **kwargs)
        context["open_rounds"] = rounds_open_now(self.locale)
        versions = list(
            PolicyVersionPage.objects.publicly_visible()
            .filter(locale=self.locale)
            .order_by("-release_date", "-pk")[:5]
        )
        # Each version's policy, all in one query.
        parents = {version.path[: -PolicyPage.steplen] for version in versions}
        policies = {policy.path: policy for policy in PolicyPage.objects.filter(path__in=parents)}
        context["latest_versions"] = [
            (version, policies.get(version.path[: -PolicyPage.steplen])) for version in versions
        ]
        context["latest_reports"] = latest_reports(self.locale)
        context["organization_count"] = Organization.objects.count()
        return context
