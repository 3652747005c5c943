"""Admin wiring for consultations: the round state screen and its header button, the
submissions' redactions and the response points — each for the stewards of its round."""

import django_filters
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

from .admin_permissions import RoundStewardPermissionPolicy, StewardChooserViewSet
from .admin_views import URL_NAME, RoundStateView
from .models import ConsultationRoundPage, ResponsePoint, Submission
from .response_admin import ResponsePointViewSet
from .stewardship import managed_rounds, manages_round

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
def keep_unpublished_briefs_private(document, request):
    """A document attached to a submission is served only to those who may see the
    submission: until it is published, its organization's editors and the staff."""
    from django.http import Http404

    briefs = Submission.objects.filter(documents__document=document)
    if briefs.exists() and not briefs.visible_to(request.user).exists():
        raise Http404


class SubmissionFilterSet(WagtailFilterSet):
    round = django_filters.ModelChoiceFilter(
        label=_("Round"), queryset=lambda request: managed_rounds(request.user)
    )

    class Meta:
        model = Submission
        fields = ["publication", "round"]


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
            help_text=_("Passages of the summary hidden from the public, with the reason."),
        ),
    ]


register_snippet(SubmissionViewSet)
register_snippet(ResponsePointViewSet)


# --- Positions ------------------------------------------------------------------------
# Who edits and deletes a position is answered by `PositionPage.permissions_for_user`
# (`consultations.positions.PositionPermissionTester`), which every admin page view asks
# before its own hooks run; the organization field is limited by `PositionForm`. This hook
# only gives a plain refusal to someone allowed to add pages who speaks for no
# organization, rather than a form whose organization list is empty.


@hooks.register("before_create_page")
def refuse_positions_from_no_organization(request, parent_page, page_class):
    from django.core.exceptions import PermissionDenied

    from organizations.services import organizations_edited_by

    from .models import PositionPage
    from .positions import acts_for_every_organization

    if (
        issubclass(page_class, PositionPage)
        and not acts_for_every_organization(request.user, parent_page)
        and not organizations_edited_by(request.user).exists()
    ):
        raise PermissionDenied


from . import fora_admin  # noqa: E402, F401 - registers the fora screens and their hooks
