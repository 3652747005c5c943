"""Admin screens for the organization catalogue."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from concertation.object_permissions import (
    ObjectPermissionDeleteView,
    ObjectPermissionEditView,
    ObjectPermissionIndexView,
    ObjectPermissionPolicy,
)

from .models import Organization, Region, Sector

register_permission_policy(Organization, ObjectPermissionPolicy(Organization))


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Organizations")
    list_display = ["name", "kind", "sector", "region"]
    list_filter = ["kind", "sector", "region"]
    search_fields = ["name", "summary_en", "summary_fr"]
    index_view_class = ObjectPermissionIndexView
    edit_view_class = ObjectPermissionEditView
    delete_view_class = ObjectPermissionDeleteView
    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("slug"), FieldPanel("kind")], heading=_("Identity")
        ),
        MultiFieldPanel([FieldPanel("sector"), FieldPanel("region")], heading=_("Classification")),
        MultiFieldPanel(
            [FieldPanel("summary_en"), FieldPanel("summary_fr"), FieldPanel("website")],
            heading=_("Profile"),
        ),
    ]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["code", "name_en", "name_fr"]
    search_fields = ["code", "name_en", "name_fr"]


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    menu_label = _("Sectors")
    list_display = ["code", "name_en", "name_fr"]
    search_fields = ["code", "name_en", "name_fr"]


class CatalogueViewSetGroup(SnippetViewSetGroup):
    items = (OrganizationViewSet, RegionViewSet, SectorViewSet)
    menu_icon = "group"
    menu_label = _("Catalogue")
    menu_name = "catalogue"


register_snippet(CatalogueViewSetGroup)
