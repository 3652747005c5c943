"""Admin wiring for consultations: the round state screen and its header button, the
submissions' redactions and the response points — each for the stewards of its round."""

import django_filters
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from concertation.object_permissions import ObjectPermissionViewSetMixin

from . import cosigning_admin  # noqa: F401 - co-signature requests and their hooks
from .admin_permissions import RoundStewardPermissionPolicy, StewardChooserViewSet
from .admin_views import URL_NAME, RoundStateView
from .models import (
    ConsultationRoundPage,
    CopyState,
    ResponsePoint,
    Submission,
    SubmissionDocument,
)
from .permissions.stewardship import managed_rounds, manages_round
from .public_copies import admin_hooks  # noqa: F401 - a brief's files and public copies
from .response_admin import ResponsePointViewSet

# Registered before any viewset asks for them (Wagtail would otherwise create its
# model-permission fallback). Submissions come from organizations and stay on the
# record: the stewards redact them, never add or delete one.
register_permission_policy(ResponsePoint, RoundStewardPermissionPolicy(ResponsePoint))
register_permission_policy(
    Submission, RoundStewardPermissionPolicy(Submission, actions=("change", "view"))
)


@hooks.register("register_admin_urls")
def register_round_state_url() -> list:
    return [path("consultations/rounds/<int:pk>/state/", RoundStateView.as_view(), name=URL_NAME)]


@hooks.register("register_page_header_buttons")
def round_state_button(page, user, view_name, next_url=None):
    specific = page.specific_deferred
    if isinstance(specific, ConsultationRoundPage) and manages_round(user, specific):
        yield Button(
            _("Change the state"),
            reverse(URL_NAME, args=[page.pk]),
            icon_name="cogs",
            priority=40,
        )


@hooks.register("before_serve_document")
def serve_only_to_readers(document, request):
    """Every document download asks `consultations.permissions.documents`; a refusal is a 404,
    which does not confirm that the file exists."""
    from django.http import Http404

    from .permissions.documents import may_read_document

    if not may_read_document(request, document):
        raise Http404


class SubmissionFilterSet(WagtailFilterSet):
    round = django_filters.ModelChoiceFilter(
        label=_("Round"), queryset=lambda request: managed_rounds(request.user)
    )

    files_waiting = django_filters.BooleanFilter(
        label=_("Files waiting for a redacted copy"), method="filter_files_waiting"
    )

    class Meta:
        model = Submission
        fields = ["publication", "round"]

    def filter_files_waiting(self, queryset, name, value):
        """Briefs with a file whose public copy is not ready (or not made yet)."""
        if value is None:
            return queryset
        waiting = SubmissionDocument.objects.filter(
            Q(public_copy__isnull=True) | ~Q(public_copy__state=CopyState.READY)
        ).values("submission")
        return queryset.filter(pk__in=waiting) if value else queryset.exclude(pk__in=waiting)


class SubmissionViewSet(ObjectPermissionViewSetMixin, SnippetViewSet):
    """The stewards of a round list and redact its submissions, and no other round's."""

    model = Submission
    icon = "doc-full-inverse"
    menu_label = _("Submissions")
    list_display = ["title", "organization", "round", "publication", "submitted_at"]
    filterset_class = SubmissionFilterSet
    chooser_viewset_class = StewardChooserViewSet
    search_fields = ["title", "summary"]
    panels = [
        FieldPanel("title"),
        FieldPanel("organization", read_only=True),
        FieldPanel("round", read_only=True),
        FieldPanel("publication", read_only=True),
        FieldPanel("summary", read_only=True),
        InlinePanel(
            "redactions",
            heading=_("Redactions"),
            help_text=_(
                "Passages hidden from the public, with the reason: removed from the summary "
                "and from the public copies of the files (see “Files and public copies”)."
            ),
        ),
    ]


register_snippet(SubmissionViewSet)
register_snippet(ResponsePointViewSet)


# --- Positions ------------------------------------------------------------------------
# Who edits and deletes a position is answered by `PositionPage.permissions_for_user`
# (`consultations.permissions.positions.PositionPermissionTester`), which every admin page view asks
# before its own hooks run; the organization field is limited by `PositionForm`. This hook
# only gives a plain refusal to someone allowed to add pages who speaks for no
# organization, rather than a form whose organization list is empty.


@hooks.register("before_create_page")
def refuse_positions_from_no_organization(request, parent_page, page_class):
    from django.core.exceptions import PermissionDenied

    from organizations.permissions import organizations_edited_by

    from .models import PositionPage
    from .permissions.positions import acts_for_every_organization

    if (
        issubclass(page_class, PositionPage)
        and not acts_for_every_organization(request.user, parent_page)
        and not organizations_edited_by(request.user).exists()
    ):
        raise PermissionDenied


# Registers the screens keeping positions to their organization, and resumes the draft
# Wagtail's autosave made of a position instead of failing on its slug.
from . import position_admin, position_autosave  # noqa: E402, F401
