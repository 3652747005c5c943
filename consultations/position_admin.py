"""The admin's screens about one position, and the few page screens Wagtail does not build
from the page permission policy, kept to the position's organization.

Listings follow `consultations.page_policy`. What remains are the screens that take a
page by its id — the explorer of that page, its history and workflow history, revisions
and their comparison, previews, workflow actions and their confirmation, usage — some of
which show the page's title or state before (or without) asking the page permission
tester; and, outside the page viewsets, the page chooser (its listings, the chooser opened
on a page, its "chosen" answer: a page's title by its id), the page types report (the
last edited page of each type, and how many there are), the page bulk actions (which list
the chosen pages the user may not act on, by title) and the dashboard (its count of pages,
and its panels of the user's own work, for one who no longer speaks for the organization).
A position hidden from the user (`consultations.permissions.position_visibility`) is refused on the
first (Wagtail's refusal, as for any page one may not edit: nothing of the page) and
left out of the others.
"""

from functools import wraps

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import path
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin import site_summary
from wagtail.admin.auth import require_admin_access
from wagtail.admin.navigation import get_site_for_user
from wagtail.admin.views import chooser, home
from wagtail.admin.views.pages.bulk_actions import (
    DeleteBulkAction,
    MoveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
)
from wagtail.admin.views.reports import page_types_usage
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .models import PositionPage
from .permissions.position_visibility import hidden_among, is_hidden_from, positions_hidden_from

# The names Wagtail's page URLs give the id of the page they are about.
PAGE_ID_KWARGS = ("page_id", "pk", "page_to_move_id", "parent_page_id")


def for_visible_positions(view):
    """Refuse, before the view runs, when the page the URL names is a position hidden from
    the user."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        page_ids = [int(kwargs[name]) for name in PAGE_ID_KWARGS if name in kwargs]
        if is_hidden_from(request.user, page_ids):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


class PositionPageViewSet(PageViewSet):
    """Wagtail's page views, for positions, behind `for_visible_positions`."""

    model = PositionPage
    name = "position_pages"

    @cached_property
    def parent_models(self) -> list[type[Page]]:
        # Exploring a position itself (its children: none) shows its title and state too.
        return [*super().parent_models, PositionPage]

    def construct_view(self, view_class, **kwargs):
        return for_visible_positions(super().construct_view(view_class, **kwargs))


@hooks.register("register_admin_viewset")
def register_position_pages() -> PositionPageViewSet:
    return PositionPageViewSet()


@hooks.register("construct_page_chooser_queryset")
def without_hidden_positions(pages, request):
    """The chooser's listings and search."""
    return pages.exclude(pk__in=positions_hidden_from(request.user).values("pk"))


class BrowseView(chooser.BrowseView):
    def get(self, request, parent_page_id=None):
        if parent_page_id and is_hidden_from(request.user, [parent_page_id]):
            raise PermissionDenied
        return super().get(request, parent_page_id)


class ChosenMultipleView(chooser.ChosenMultipleView):
    def get(self, request):
        ids = [int(pk) for pk in request.GET.getlist("id") if pk.isdigit()]
        if is_hidden_from(request.user, ids):
            raise PermissionDenied
        return super().get(request)


class PagesSummaryItem(site_summary.PagesSummaryItem):
    """The dashboard's count of pages, hidden positions left out: a count that grows
    would tell when another organization starts a draft."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        if root_page := get_site_for_user(self.request.user)["root_page"]:
            context["total_pages"] -= (
                positions_hidden_from(self.request.user)
                .descendant_of(root_page, inclusive=True)
                .count()
            )
        return context


@hooks.register("construct_homepage_summary_items", order=1)
def count_visible_pages(request, summary_items: list) -> None:
    """After Wagtail's own hook (order 1), which adds its count of pages."""
    summary_items[:] = [
        PagesSummaryItem(request) if isinstance(item, site_summary.PagesSummaryItem) else item
        for item in summary_items
    ]


class UserObjectsInWorkflowModerationPanel(home.UserObjectsInWorkflowModerationPanel):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        states = context["workflow_states"]
        if isinstance(states, list):  # a queryset (empty) when workflows are disabled
            hidden = hidden_among(
                parent_context["request"].user, [state.content_object.pk for state in states]
            )
            context["workflow_states"] = [
                state for state in states if state.content_object.pk not in hidden
            ]
        return context


class RecentEditsPanel(home.RecentEditsPanel):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        edits = context["last_edits"]
        hidden = hidden_among(parent_context["request"].user, [page.pk for _at, page in edits])
        context["last_edits"] = [(at, page) for at, page in edits if page.pk not in hidden]
        return context


class LockedPagesPanel(home.LockedPagesPanel):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        hidden = positions_hidden_from(parent_context["request"].user).values("pk")
        context["locked_pages"] = context["locked_pages"].exclude(pk__in=hidden)
        return context


OWN_WORK_PANELS = {
    home.UserObjectsInWorkflowModerationPanel: UserObjectsInWorkflowModerationPanel,
    home.RecentEditsPanel: RecentEditsPanel,
    home.LockedPagesPanel: LockedPagesPanel,
}


@hooks.register("construct_homepage_panels")
def without_positions_no_longer_spoken_for(request, panels: list) -> None:
    """The dashboard's panels of the user's own work (submitted, edited, locked) leave out
    the positions of an organization the user no longer speaks for."""
    panels[:] = [
        OWN_WORK_PANELS[type(panel)]() if type(panel) in OWN_WORK_PANELS else panel
        for panel in panels
    ]


class VisiblePositionsOnly:
    """A page bulk action (asked for chosen ids, or "all" under a page) leaves hidden
    positions out altogether: Wagtail would list them by title among the pages the user
    may not act on."""

    def get_actionable_objects(self):
        objects, context = super().get_actionable_objects()
        refused = context["items_with_no_access"]
        hidden = hidden_among(self.request.user, [page.pk for page in [*objects, *refused]])
        context["items_with_no_access"] = [page for page in refused if page.pk not in hidden]
        return [page for page in objects if page.pk not in hidden], context


class DeletePagesAction(VisiblePositionsOnly, DeleteBulkAction):
    pass


class MovePagesAction(VisiblePositionsOnly, MoveBulkAction):
    pass


class PublishPagesAction(VisiblePositionsOnly, PublishBulkAction):
    pass


class UnpublishPagesAction(VisiblePositionsOnly, UnpublishBulkAction):
    pass


# After Wagtail's own page bulk actions (order 1), so these replace them.
for action_class in (DeletePagesAction, MovePagesAction, PublishPagesAction, UnpublishPagesAction):
    hooks.register("register_bulk_action", action_class, order=1)


class PageTypesUsageReportView(page_types_usage.PageTypesUsageReportView):
    """Wagtail's report, counting and naming only the pages the user may see."""

    def get_queryset(self):
        queryset = ContentType.objects.filter(model__in=self.page_models)
        if not Page.objects.filter(
            depth__gt=1, content_type=ContentType.objects.get_for_model(Page)
        ).exists():
            queryset = queryset.exclude(id=ContentType.objects.get_for_model(Page).id)
        self.queryset = queryset
        queryset = self.filter_queryset(queryset)

        page_filter = {}
        if language_code := self.filters.form.cleaned_data.get("page_locale"):
            page_filter["locale__language_code"] = language_code
        if site_root_path := self.filters.form.cleaned_data.get("site"):
            page_filter["path__startswith"] = site_root_path
        pages = Page.objects.filter(content_type=OuterRef("pk"), **page_filter).exclude(
            pk__in=positions_hidden_from(self.request.user).values("pk")
        )
        count = pages.order_by().values("content_type").annotate(count=Count("pk")).values("count")
        last_edited = pages.order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        return queryset.annotate(
            count=Coalesce(Subquery(count), 0),
            last_edited_page_id=Subquery(last_edited.values("pk")[:1]),
        ).order_by("-count", "app_label", "model")


# Included in the site's URLs before Wagtail's admin, at the same paths, so they answer
# in its place (`reverse` of Wagtail's names still gives these paths).
urlpatterns = decorate_urlpatterns(
    [
        path("choose-page/<int:parent_page_id>/", BrowseView.as_view()),
        path("choose-page/chosen-multiple/", ChosenMultipleView.as_view()),
        path("reports/page-types-usage/", PageTypesUsageReportView.as_view()),
        path(
            "reports/page-types-usage/results/",
            PageTypesUsageReportView.as_view(results_only=True),
        ),
    ],
    require_admin_access,
)
