"""Admin wiring of the files screen: its URL, and a "Files and public copies" button on
each row of the submissions listing, for the stewards of the brief's round."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from ..models import Submission
from ..permissions.stewardship import manages_round
from .admin_views import URL_NAME, SubmissionFilesView


@hooks.register("register_admin_urls")
def register_submission_files_url() -> list:
    return [
        path(
            "consultations/submissions/<int:pk>/files/",
            SubmissionFilesView.as_view(),
            name=URL_NAME,
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def submission_files_button(snippet, user, next_url=None):
    if isinstance(snippet, Submission) and manages_round(user, snippet.round):
        yield ListingButton(
            _("Files and public copies"),
            reverse(URL_NAME, args=[snippet.pk]),
            icon_name="doc-full-inverse",
            priority=20,
        )
