"""Admin wiring for consultations: the round state screen and its header button."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import URL_NAME, RoundStateView
from .models import ConsultationRoundPage, Submission
from .stewardship import manages_round


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


class SubmissionViewSet(SnippetViewSet):
    model = Submission
    icon = "doc-full-inverse"
    menu_label = _("Submissions")
    list_display = ["title", "organization", "round", "publication", "submitted_at"]
    list_filter = ["publication", "round"]
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
