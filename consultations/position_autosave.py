"""A position Wagtail's autosave already created is resumed, not created twice.

Wagtail's create view autosaves: mid-fill, it posts the form and the page is created as
a draft. Should the editor's browser stay on the create form (the switch to the edit
view did not happen: a reload, a second tab, a script error), the next "Save draft" or
"Submit" creates the page again, and failed on the slug the draft already holds. Here a
create of a position whose slug is that of a draft the same user created and saved
within `RESUME_WITHIN`, never published, that they may still edit, is answered by the
draft's edit view with the same form: the draft receives the changes, with a message
saying so. Any other clash on the slug stays Wagtail's refusal naming the field.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from .models import PositionPage

# Time since the draft's last save after which a create with its slug is a new position
# (refused on the slug, naming it) rather than the same writing resumed.
RESUME_WITHIN = datetime.timedelta(hours=1)


def autosaved_draft(user, parent_page: Page, slug: str) -> PositionPage | None:
    """The draft under `parent_page` with `slug` that `user`'s autosave created: theirs,
    never published, saved within `RESUME_WITHIN`, and still theirs to edit."""
    if not slug or not user.is_authenticated:
        return None
    draft = (
        PositionPage.objects.child_of(parent_page)
        .filter(
            slug=slug,
            owner=user,
            live=False,
            first_published_at__isnull=True,
            latest_revision_created_at__gte=timezone.now() - RESUME_WITHIN,
        )
        .first()
    )
    if draft is None or not draft.permissions_for_user(user).can_edit():
        return None
    return draft


def _posted_slug(request: HttpRequest) -> str:
    slug = request.POST.get("slug", "").strip()
    if slug:
        return slug
    allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
    return slugify(request.POST.get("title", ""), allow_unicode=allow_unicode)


@hooks.register("before_create_page")
def resume_autosaved_position(
    request: HttpRequest, parent_page: Page, page_class: type
) -> HttpResponse | None:
    if request.method != "POST" or not issubclass(page_class, PositionPage):
        return None
    draft = autosaved_draft(request.user, parent_page, _posted_slug(request))
    if draft is None:
        return None
    if request.accepts("text/html"):
        messages.info(
            request,
            _(
                "This position had already been saved as a draft while you were writing it "
                "(autosave): your changes were saved to that draft, “%(title)s”, instead of "
                "creating it twice."
            )
            % {"title": draft.title},
        )
    edit = resolve(reverse("wagtailadmin_pages:edit", args=(draft.pk,)))
    return edit.func(request, *edit.args, **edit.kwargs)
