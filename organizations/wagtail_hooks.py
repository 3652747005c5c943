"""Admin screens for the organization catalogue: one menu group, "Catalogue"."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList, TabbedInterface
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from concertation.object_permissions import (
    ObjectPermissionEditView,
    ObjectPermissionPolicy,
    ObjectPermissionViewSetMixin,
)

from .admin_forms import (
    AssessmentInlinePanel,
    OrganizationAdminForm,
    set_assessor_on_new_assessments,
)
from .models import (
    AutonomyCriterion,
    Constituency,
    FieldOfActivity,
    Organization,
    Region,
    Sector,
    ServiceAgreement,
)

register_permission_policy(Organization, ObjectPermissionPolicy(Organization))

# Who may record autonomy assessments: secretariat staff, through this model permission.
ASSESS_AUTONOMY = "organizations.change_autonomyassessment"

identity_tab = ObjectList(
    [
        FieldPanel("name"),
        FieldPanel("legal_name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("cooperative_type")]),
        FieldRowPanel([FieldPanel("founded_year"), FieldPanel("staff_fte")]),
        FieldPanel("summary_en"),
        FieldPanel("summary_fr"),
    ],
    heading=_("Identity"),
)
classification_tab = ObjectList(
    [
        FieldPanel("region"),
        FieldPanel("regions_served"),
        FieldPanel("sectors"),
        FieldPanel("constituencies"),
        FieldPanel("fields_of_activity"),
    ],
    heading=_("Classification"),
)
incorporation_tab = ObjectList(
    [
        FieldRowPanel([FieldPanel("incorporation_act"), FieldPanel("incorporation_jurisdiction")]),
        FieldRowPanel([FieldPanel("incorporation_date"), FieldPanel("has_share_capital")]),
        FieldRowPanel(
            [
                FieldPanel("member_count"),
                FieldPanel("share_capital"),
                FieldPanel("gross_revenue"),
                FieldPanel("assets"),
            ]
        ),
        InlinePanel("member_categories", heading=_("Member categories (solidarity co-operatives)")),
    ],
    heading=_("Incorporation and members"),
)
contact_tab = ObjectList(
    [
        FieldRowPanel([FieldPanel("serves_in_french"), FieldPanel("serves_in_english")]),
        FieldPanel("other_languages"),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
        FieldPanel("address"),
        FieldPanel("website"),
    ],
    heading=_("Languages and contact"),
)
memberships_tab = ObjectList(
    [InlinePanel("memberships", heading=_("Coalitions this organization belongs to"))],
    heading=_("Coalitions"),
)
autonomy_tab = ObjectList(
    [
        AssessmentInlinePanel(
            "autonomy_assessments",
            heading=_("Assessments of the autonomy criteria"),
            help_text=_(
                "Recorded assessments are kept as history and cannot be changed: "
                "record a new assessment to change an outcome."
            ),
            panels=[
                FieldPanel("criterion"),
                FieldPanel("outcome"),
                FieldPanel("assessed_on"),
                FieldPanel("evidence"),
            ],
        )
    ],
    heading=_("Autonomy"),
)

# Secretariat staff see every tab; an organization's editors keep their profile,
# memberships and member categories, but not the autonomy assessments.
staff_panel = TabbedInterface(
    [
        identity_tab,
        classification_tab,
        incorporation_tab,
        contact_tab,
        memberships_tab,
        autonomy_tab,
    ],
    base_form_class=OrganizationAdminForm,
).bind_to_model(Organization)
editor_panel = TabbedInterface(
    [identity_tab, classification_tab, incorporation_tab, contact_tab, memberships_tab],
    base_form_class=OrganizationAdminForm,
).bind_to_model(Organization)


class OrganizationEditView(ObjectPermissionEditView):
    """Shows the autonomy tab only to those who may assess autonomy; the form follows
    the panel, so an editor's post cannot carry assessments either."""

    def get_panel(self):
        if self.request.user.has_perm(ASSESS_AUTONOMY):
            return staff_panel
        return editor_panel

    def get_form_class(self):
        return self.panel.get_form_class()

    def save_instance(self):
        set_assessor_on_new_assessments(self.form, self.request.user)
        return super().save_instance()


class OrganizationCreateView(CreateView):
    def save_instance(self):
        set_assessor_on_new_assessments(self.form, self.request.user)
        return super().save_instance()


class OrganizationViewSet(ObjectPermissionViewSetMixin, SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Organizations")
    list_display = ["name", "kind", "region", "recognition_status", "updated_at"]
    list_filter = [
        "kind",
        "cooperative_type",
        "recognition_status",
        "region",
        "regions_served",
        "sectors",
        "constituencies",
        "fields_of_activity",
    ]
    search_fields = ["name", "legal_name", "summary_en", "summary_fr"]
    add_view_class = OrganizationCreateView
    edit_view_class = OrganizationEditView
    edit_handler = staff_panel


class TaxonomyViewSet(SnippetViewSet):
    list_display = ["code", "name_en", "name_fr", "parent"]
    list_filter = ["parent"]
    search_fields = ["code", "name_en", "name_fr"]
    panels = [
        FieldPanel("code"),
        FieldPanel("name_en"),
        FieldPanel("name_fr"),
        FieldPanel("parent"),
    ]


class RegionViewSet(TaxonomyViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["code", "name_en", "name_fr", "kind", "parent"]
    list_filter = ["kind", "parent"]
    panels = [*TaxonomyViewSet.panels, FieldPanel("kind")]


class SectorViewSet(TaxonomyViewSet):
    model = Sector
    icon = "tag"
    menu_label = _("Sectors")


class ConstituencyViewSet(TaxonomyViewSet):
    model = Constituency
    icon = "user"
    menu_label = _("Constituencies")


class FieldOfActivityViewSet(TaxonomyViewSet):
    model = FieldOfActivity
    icon = "cogs"
    menu_label = _("Fields of activity")


class AutonomyCriterionViewSet(SnippetViewSet):
    model = AutonomyCriterion
    icon = "tasks"
    menu_label = _("Autonomy criteria")
    list_display = ["sort_order", "code", "name_en", "name_fr"]
    search_fields = ["code", "name_en", "name_fr"]


class ServiceAgreementViewSet(SnippetViewSet):
    model = ServiceAgreement
    icon = "doc-full"
    menu_label = _("Service agreements")
    list_display = ["service", "provider", "government_body", "population_served", "start_date"]
    list_filter = ["government_body", "start_date"]
    search_fields = ["service"]


class CatalogueViewSetGroup(SnippetViewSetGroup):
    items = (
        OrganizationViewSet,
        ServiceAgreementViewSet,
        RegionViewSet,
        SectorViewSet,
        ConstituencyViewSet,
        FieldOfActivityViewSet,
        AutonomyCriterionViewSet,
    )
    menu_icon = "group"
    menu_label = _("Catalogue")
    menu_name = "catalogue"


register_snippet(CatalogueViewSetGroup)


@hooks.register("register_permissions")
def register_catalogue_permissions():
    """Let group editors grant the autonomy-assessment permission from the Groups screen."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="organizations", codename__endswith="autonomyassessment"
    )


from . import admin_import  # noqa: E402, F401 - registers the import screen's hooks
