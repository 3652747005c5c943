"""Wagtail's wiring of the fora: their permission policies, the "Fora" menu group, the
"Assign a holder" and "Our seats" screens and their menu item.

Wagtail loads every installed app's `wagtail_hooks`; the screens are in `admin`,
`seat_holder_admin` and `our_seats_admin`.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import our_seats_admin, seat_holder_admin
from .admin import ForaViewSetGroup, OurSeatsMenuItem
from .models import Forum, Meeting, Seat
from .policy import ForumManagerPermissionPolicy, ForumPermissionPolicy

# Registered before the viewsets ask for them (Wagtail would otherwise fall back to its
# model permissions, which know nothing of convenors).
register_permission_policy(Forum, ForumPermissionPolicy())
register_permission_policy(Seat, ForumManagerPermissionPolicy(Seat))
register_permission_policy(Meeting, ForumManagerPermissionPolicy(Meeting))


register_snippet(ForaViewSetGroup)


@hooks.register("register_admin_urls")
def register_fora_admin_urls() -> list:
    return [
        path(
            "consultations/seats/<int:pk>/assign/",
            seat_holder_admin.SeatHolderView.as_view(),
            name=seat_holder_admin.URL_NAME,
        ),
        path(
            "consultations/our-seats/",
            our_seats_admin.OurSeatsView.as_view(),
            name=our_seats_admin.LIST_URL_NAME,
        ),
        path(
            "consultations/our-seats/<int:pk>/",
            our_seats_admin.OurSeatTermView.as_view(),
            name=our_seats_admin.TERM_URL_NAME,
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def seat_holder_button(snippet, user, next_url=None):
    """The seats listing holds only the seats of the fora the user manages, so each gets
    the link; the screen checks again."""
    if isinstance(snippet, Seat):
        yield Button(
            _("Assign a holder"),
            reverse(seat_holder_admin.URL_NAME, args=[snippet.pk]),
            icon_name="user",
            priority=15,
        )


@hooks.register("register_admin_menu_item")
def register_our_seats_menu_item() -> MenuItem:
    return OurSeatsMenuItem(
        _("Our seats"),
        reverse(our_seats_admin.LIST_URL_NAME),
        name="our-seats",
        icon_name="user",
        order=330,
    )
