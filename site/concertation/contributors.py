"""The contributors' side of the public site: signing in, and the page that gathers what
one has sent.

Organization editors send briefs from the public site; they sign in here rather than
at the Wagtail admin's login, which stays the staff's door (decision 012). The sign-in
is Django's `LoginView` with `AuthenticationForm`, which authenticates through the
configured backends with the request, so django-axes counts and locks out failed
sign-ins here exactly as at the admin's (`concertation.login_throttling`). The
contributor page lists the organizations the user speaks for, their briefs (with the
round's state and how each is published) and their positions, with links to submit,
edit or write, and what they follow (issue #16), with the link to manage it.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import pgettext_lazy
from wagtail.models import Locale, WorkflowState

from consultations.models import ConsultationRoundPage, PositionPage, RoundState, Submission
from follows.models import Follow
from organizations.models import Organization
from organizations.permissions import organizations_edited_by


class ContributorSignInView(LoginView):
    """Django's sign-in on the public site's look; back to `next`, or to the contributor
    page."""

    template_name = "concertation/sign_in.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return reverse("contributor")


@dataclass(frozen=True)
class ContributorRecord:
    """What one contributor has sent and may do, read in a fixed number of queries."""

    organizations: list[Organization]
    submissions: list[Submission]
    positions: list[PositionPage]
    open_rounds: list[ConsultationRoundPage]
    # What the user follows (`follows`), with links to manage it: one query.
    follows: list[Follow]

    @classmethod
    def of(cls, user) -> "ContributorRecord":
        organizations = organizations_edited_by(user).order_by("name")
        return cls(
            organizations=list(organizations),
            submissions=list(
                Submission.objects.manageable_by(user)
                .select_related("organization", "round")
                .order_by("-submitted_at", "-pk")
            ),
            positions=list(_positions_of(organizations)),
            # In the visitor's language: a round open in French is the same round.
            open_rounds=list(
                ConsultationRoundPage.objects.live()
                .public()
                .filter(state=RoundState.OPEN, locale=Locale.get_active())
                .order_by("closes_on", "title")
            )
            if organizations
            else [],
            follows=list(Follow.objects.filter(subscriber__user=user).order_by("label", "pk")),
        )


def _positions_of(organizations: QuerySet[Organization]) -> QuerySet[PositionPage]:
    """The positions of `organizations`, each annotated with whether it waits on a
    moderator (`in_moderation`), without a query per position."""
    in_moderation = WorkflowState.objects.filter(
        object_id=Cast(OuterRef("pk"), output_field=WorkflowState._meta.get_field("object_id")),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    return (
        PositionPage.objects.filter(organization__in=organizations)
        .select_related("organization", "locale")
        .annotate(in_moderation=Exists(in_moderation))
        .order_by("-latest_revision_created_at", "-pk")
    )


@login_required(login_url=reverse_lazy("contributor_sign_in"))
def contributor_page(request: HttpRequest) -> HttpResponse:
    """The signed-in contributor's organizations, briefs and positions."""
    record = ContributorRecord.of(request.user)
    return render(request, "concertation/contributor.html", {"record": record})


urlpatterns = [
    path(
        pgettext_lazy("URL", "account/sign-in/"),
        ContributorSignInView.as_view(),
        name="contributor_sign_in",
    ),
    path(
        pgettext_lazy("URL", "account/sign-out/"),
        LogoutView.as_view(next_page="contributor_sign_in"),
        name="contributor_sign_out",
    ),
    path(pgettext_lazy("URL", "account/"), contributor_page, name="contributor"),
]
