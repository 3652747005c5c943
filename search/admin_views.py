"""The admin's "Search index failures" report: the records whose index update failed,
how many changes are still waiting for the index (the outbox), and a "retry now" button.

Read-only: failures are written by the sync tasks and cleared by their success. Shown to
users with the model permission `search.view_indexfailure` (secretariat staff, through
their group) and to superusers; the retry needs the same permission, as it only asks
the index to match the database again.
"""

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import ListView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import outbox
from .models import IndexFailure
from .retry import retry_failures

VIEW_PERMISSION = "search.view_indexfailure"
URL_NAME = "search_index_failures"


def user_may_see_failures(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.has_perm(VIEW_PERMISSION)


class IndexFailuresView(WagtailAdminTemplateMixin, ListView):
    model = IndexFailure
    template_name = "search/admin/index_failures.html"
    context_object_name = "failures"
    paginate_by = 50
    header_icon = "warning"

    def get_page_title(self) -> str:
        return _("Search index failures")

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not user_may_see_failures(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "search_sync": outbox.summary()}

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """Retry now: make every pending change due and queue a drain."""
        retried = retry_failures(queue=True)
        messages.success(
            request,
            ngettext(
                "An update of %(count)d record was queued.",
                "Updates of %(count)d records were queued.",
                retried,
            )
            % {"count": retried},
        )
        return HttpResponseRedirect(reverse(URL_NAME))
