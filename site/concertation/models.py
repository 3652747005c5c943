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
        from consultations.models import PolicyVersionPage
        from organizations.models import Organization

        context = super().get_context(request, *args, **kwargs)
        context["latest_versions"] = (
            PolicyVersionPage.objects.publicly_visible()
            .filter(locale=self.locale)
            .order_by("-release_date")[:5]
        )
        context["organization_count"] = Organization.objects.count()
        return context
