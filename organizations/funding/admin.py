"""Admin wiring for funding: the "Funding" menu group.

- Programmes, and their budgets per fiscal year (a screen of their own: a budget has a
  plain foreign key to its programme, so it is not an inline panel), for the secretariat;
  the finance staff of a programme see it and its budgets — committed and remaining.
- Allocations, for the finance staff of their programme; saved through
  `record_allocation` (see `admin_forms`), moved draft → approved → published
  from the listing (`status_admin`) or with the status field.
- Service loads, for the editors of the organization reporting them.

Who may do what is `permissions`. Registered by `organizations.funding.wagtail_hooks`.
"""

import django_filters
from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permissions import policy_registry
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from concertation.object_permissions import (
    ObjectPermissionEditView,
    ObjectPermissionRequiredMixin,
    ObjectPermissionViewSetMixin,
)

from .admin_forms import (
    AllocationAdminForm,
    ProgrammeAdminForm,
    ProgrammeBudgetAdminForm,
    ServiceLoadAdminForm,
    show_refusal,
)
from .models import Allocation, Programme, ProgrammeBudget, ServiceLoad, fiscal_year_label
from .permissions import ProgrammePermissionPolicy, programmes_managed_by

SEEN = ["change", "view"]


# Views -------------------------------------------------------------------------------


class FundingIndexView(snippet_views.IndexView):
    """Lists only what the user may see or change."""

    def get_base_queryset(self) -> QuerySet:
        allowed = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, SEEN
        )
        return super().get_base_queryset().filter(pk__in=allowed.values("pk"))


class FundingInspectView(ObjectPermissionRequiredMixin, snippet_views.InspectView):
    object_action = "view"


class ServiceRefusalMixin:
    """A refusal from the rule the form saves through (a `ValidationError` raised by
    `form.save`) is shown on the form, naming its field; the transaction Wagtail opened
    for the save is rolled back, so nothing is stored."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            show_refusal(form, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class FundingCreateView(ServiceRefusalMixin, snippet_views.CreateView):
    pass


class FundingEditView(ServiceRefusalMixin, ObjectPermissionEditView):
    pass


def _chooseable(view) -> QuerySet:
    return policy_registry.get_by_type(view.model_class).instances_user_has_any_permission_for(
        view.request.user, SEEN
    )


class FundingChooseView(ChooseView):
    def get_object_list(self):
        return _chooseable(self)


class FundingChooseResultsView(ChooseResultsView):
    def get_object_list(self):
        return _chooseable(self)


class FundingChosenView(SnippetChosenView):
    def get_object(self, pk):
        return _chooseable(self).get(pk=pk)


class FundingChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return _chooseable(self).filter(pk__in=pks)


class FundingChooserViewSet(SnippetChooserViewSet):
    """The snippet chooser lists only what the user may see: otherwise any admin user
    could read draft allocations there."""

    choose_view_class = FundingChooseView
    choose_results_view_class = FundingChooseResultsView
    chosen_view_class = FundingChosenView
    chosen_multiple_view_class = FundingChosenMultipleView


class FundingViewSet(ObjectPermissionViewSetMixin, SnippetViewSet):
    """Listing, inspect, edit, delete, history and usage each check the object."""

    index_view_class = FundingIndexView
    add_view_class = FundingCreateView
    edit_view_class = FundingEditView
    inspect_view_class = FundingInspectView
    chooser_viewset_class = FundingChooserViewSet
    copy_view_enabled = False

    # The screens keep the addresses and URL names they had when funding was part of the
    # organizations app: bookmarks and links already sent stay valid.
    @cached_property
    def url_prefix(self) -> str:
        return f"snippets/organizations/{self.model_name}"

    @cached_property
    def url_namespace(self) -> str:
        return f"wagtailsnippets_organizations_{self.model_name}"

    def get_chooser_admin_url_namespace(self) -> str:
        return f"wagtailsnippetchoosers_organizations_{self.model_name}"

    def get_chooser_admin_base_path(self) -> str:
        return f"snippets/choose/organizations/{self.model_name}"


def _no_model_permissions() -> QuerySet:
    """For the Groups screen: the model's own permissions grant nothing here (the
    policy decides), so they are not offered."""
    return Permission.objects.none()


# Filters -----------------------------------------------------------------------------


def _managed_programmes(request) -> QuerySet:
    return programmes_managed_by(request.user).order_by("name")


def _seen_programmes(request) -> QuerySet:
    return ProgrammePermissionPolicy().instances_user_has_any_permission_for(request.user, SEEN)


def _budget_years() -> list[tuple[int, str]]:
    years = (
        ProgrammeBudget.objects.order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    return [(year, fiscal_year_label(year)) for year in years]


class ProgrammeBudgetFilterSet(WagtailFilterSet):
    programme = django_filters.ModelChoiceFilter(label=_("Programme"), queryset=_seen_programmes)
    fiscal_year = django_filters.ChoiceFilter(label=_("Fiscal year"), choices=_budget_years)

    class Meta:
        model = ProgrammeBudget
        fields = ["programme", "fiscal_year"]


class AllocationFilterSet(WagtailFilterSet):
    programme = django_filters.ModelChoiceFilter(label=_("Programme"), queryset=_managed_programmes)
    fiscal_year = django_filters.ChoiceFilter(label=_("Fiscal year"), choices=_budget_years)

    class Meta:
        model = Allocation
        fields = ["programme", "fiscal_year", "status", "origin"]


class ServiceLoadFilterSet(WagtailFilterSet):
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"))

    class Meta:
        model = ServiceLoad
        fields = ["fiscal_year"]


# Columns -----------------------------------------------------------------------------


def _fiscal_year_column() -> Column:
    return Column(
        "fiscal_year",
        label=_("Fiscal year"),
        accessor=lambda record: fiscal_year_label(record.fiscal_year),
        sort_key="fiscal_year",
    )


# Viewsets ----------------------------------------------------------------------------


class ProgrammeViewSet(FundingViewSet):
    model = Programme
    icon = "folder-open-inverse"
    menu_label = _("Programmes")
    list_display = ["name", "funder", "mode", "first_fiscal_year", "last_fiscal_year"]
    list_filter = ["mode"]
    search_fields = ["name", "description"]
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldRowPanel([FieldPanel("funder", widget=forms.Select), FieldPanel("mode")]),
            FieldRowPanel([FieldPanel("first_fiscal_year"), FieldPanel("last_fiscal_year")]),
            FieldPanel("description"),
        ],
        base_form_class=ProgrammeAdminForm,
    )


class ProgrammeBudgetViewSet(FundingViewSet):
    model = ProgrammeBudget
    icon = "table"
    menu_label = _("Budgets")
    list_display = [
        "programme",
        _fiscal_year_column(),
        Column("amount", label=_("Budget (CAD)"), sort_key="amount"),
        Column("committed", label=_("Approved or published (CAD)"), sort_key="committed"),
        Column(
            "remaining",
            label=_("Remaining (CAD)"),
            accessor=lambda budget: budget.amount - budget.committed,
        ),
    ]
    filterset_class = ProgrammeBudgetFilterSet
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldPanel("programme", widget=forms.Select),
            FieldPanel("fiscal_year"),
            FieldPanel("amount"),
        ],
        base_form_class=ProgrammeBudgetAdminForm,
    )

    def get_queryset(self, request) -> QuerySet:
        """Each budget with the money committed against it."""
        committed = (
            Allocation.objects.committed()
            .filter(programme=OuterRef("programme"), fiscal_year=OuterRef("fiscal_year"))
            .order_by()
            .values("programme")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        money = DecimalField(max_digits=14, decimal_places=2)
        return ProgrammeBudget.objects.select_related("programme").annotate(
            committed=Coalesce(
                Subquery(committed, output_field=money), Value(0), output_field=money
            )
        )

    def get_permissions_to_register(self) -> QuerySet:
        return _no_model_permissions()


class AllocationViewSet(FundingViewSet):
    model = Allocation
    icon = "success"
    menu_label = _("Allocations")
    list_display = [
        "organization",
        "programme",
        _fiscal_year_column(),
        Column("amount", label=_("Amount (CAD)"), sort_key="amount"),
        "origin",
        "status",
    ]
    filterset_class = AllocationFilterSet
    search_fields = ["organization__name", "notes"]
    # Usage screens of organizations and programmes would otherwise name the allocations
    # referring to them, drafts included, to whoever may see those screens.
    add_to_reference_index = False
    edit_handler = ObjectList(
        [
            FieldPanel("organization"),
            FieldRowPanel(
                [FieldPanel("programme", widget=forms.Select), FieldPanel("fiscal_year")]
            ),
            FieldRowPanel([FieldPanel("amount"), FieldPanel("mode")]),
            FieldPanel("origin"),
            FieldRowPanel(
                [
                    FieldPanel("reallocated_from_programme", widget=forms.Select),
                    FieldPanel("reallocated_from_sector"),
                ],
                heading=_("Where reallocated money comes from"),
            ),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            FieldPanel(
                "status",
                help_text=_(
                    "Approved and published money counts against the programme-year's "
                    "budget; only published allocations are public."
                ),
            ),
            FieldPanel("notes"),
        ],
        base_form_class=AllocationAdminForm,
    )

    def get_queryset(self, request) -> QuerySet:
        return Allocation.objects.select_related("organization", "programme")

    def get_permissions_to_register(self) -> QuerySet:
        return _no_model_permissions()


class ServiceLoadViewSet(FundingViewSet):
    model = ServiceLoad
    icon = "user"
    menu_label = _("Service loads")
    list_display = [
        "organization",
        _fiscal_year_column(),
        "people_served",
        "service_hours",
        "waiting_list",
    ]
    filterset_class = ServiceLoadFilterSet
    search_fields = ["organization__name"]
    edit_handler = ObjectList(
        [
            FieldPanel("organization"),
            FieldPanel("fiscal_year"),
            FieldRowPanel(
                [
                    FieldPanel("people_served"),
                    FieldPanel("service_hours"),
                    FieldPanel("waiting_list"),
                ]
            ),
        ],
        base_form_class=ServiceLoadAdminForm,
    )

    def get_queryset(self, request) -> QuerySet:
        return ServiceLoad.objects.select_related("organization")


class FundingViewSetGroup(SnippetViewSetGroup):
    items = (ProgrammeViewSet, ProgrammeBudgetViewSet, AllocationViewSet, ServiceLoadViewSet)
    menu_icon = "table"
    menu_label = _("Funding")
    menu_name = "funding"
    menu_order = 330
