"""Admin wiring for fora: the "Fora" menu group (fora, seats, meetings) for the managers
of each forum, the "Assign a holder" screen of a seat, and "Our seats" for the editors
of the organizations holding seats.

Imported by `consultations.wagtail_hooks` (Wagtail loads only modules of that name).
"""

import django_filters
from django import forms
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from concertation.object_permissions import ObjectPermissionEditView, ObjectPermissionViewSetMixin

from . import our_seats_admin, seat_holder_admin
from .fora_admin_forms import ForumAdminForm, ForumOwnedAdminForm
from .fora_permissions import managed_fora, represented_terms
from .fora_policy import ForumManagerPermissionPolicy, ForumPermissionPolicy
from .models import Forum, Meeting, Seat

# Registered before the viewsets ask for them (Wagtail would otherwise fall back to its
# model permissions, which know nothing of convenors).
register_permission_policy(Forum, ForumPermissionPolicy())
register_permission_policy(Seat, ForumManagerPermissionPolicy(Seat))
register_permission_policy(Meeting, ForumManagerPermissionPolicy(Meeting))


def _managed_fora(request):
    return managed_fora(request.user)


class SeatFilterSet(WagtailFilterSet):
    forum = django_filters.ModelChoiceFilter(label=_("Forum"), queryset=_managed_fora)

    class Meta:
        model = Seat
        fields = ["forum", "designation"]


class MeetingFilterSet(WagtailFilterSet):
    forum = django_filters.ModelChoiceFilter(label=_("Forum"), queryset=_managed_fora)
    held_on = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = Meeting
        fields = ["forum", "held_on", "mode"]


class ForumViewSet(ObjectPermissionViewSetMixin, SnippetViewSet):
    model = Forum
    icon = "group"
    menu_label = _("Fora")
    list_display = ["name", "level", "kind", "convenor", "active_from", "active_until"]
    list_filter = ["level", "kind"]
    search_fields = ["name", "description"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldRowPanel([FieldPanel("level"), FieldPanel("kind")]),
            FieldPanel("convenor", widget=forms.Select),
            FieldPanel("region"),
            FieldPanel("sectors"),
            FieldRowPanel([FieldPanel("active_from"), FieldPanel("active_until")]),
            FieldPanel("description"),
        ],
        base_form_class=ForumAdminForm,
    )


class SeatEditView(ObjectPermissionEditView):
    @cached_property
    def header_buttons(self) -> list:
        return [
            *super().header_buttons,
            HeaderButton(
                _("Assign a holder"),
                url=reverse(seat_holder_admin.URL_NAME, args=[self.object.pk]),
                icon_name="user",
            ),
        ]


class SeatViewSet(ObjectPermissionViewSetMixin, SnippetViewSet):
    model = Seat
    icon = "user"
    menu_label = _("Seats")
    list_display = ["label", "forum", "designation", "sector", "constituency"]
    filterset_class = SeatFilterSet
    search_fields = ["label"]
    edit_view_class = SeatEditView
    edit_handler = ObjectList(
        [
            FieldPanel("forum", widget=forms.Select),
            FieldPanel("label"),
            FieldPanel("designation"),
            FieldRowPanel([FieldPanel("sector"), FieldPanel("constituency")]),
            FieldRowPanel(
                [
                    FieldPanel("per_diem"),
                    FieldPanel("travel_allowance"),
                    FieldPanel("release_time_hours"),
                ],
                heading=_("Support that comes with the seat"),
            ),
        ],
        base_form_class=ForumOwnedAdminForm,
    )


class MeetingViewSet(ObjectPermissionViewSetMixin, SnippetViewSet):
    model = Meeting
    icon = "date"
    menu_label = _("Meetings")
    list_display = ["held_on", "forum", "duration_hours", "mode", "travel_hours"]
    filterset_class = MeetingFilterSet
    edit_handler = ObjectList(
        [
            FieldPanel("forum", widget=forms.Select),
            FieldRowPanel([FieldPanel("held_on"), FieldPanel("duration_hours")]),
            FieldRowPanel([FieldPanel("mode"), FieldPanel("travel_hours")]),
        ],
        base_form_class=ForumOwnedAdminForm,
    )


class ForaViewSetGroup(SnippetViewSetGroup):
    items = (ForumViewSet, SeatViewSet, MeetingViewSet)
    menu_icon = "group"
    menu_label = _("Fora")
    menu_name = "fora"
    menu_order = 320


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


class OurSeatsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return represented_terms(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_our_seats_menu_item() -> MenuItem:
    return OurSeatsMenuItem(
        _("Our seats"),
        reverse(our_seats_admin.LIST_URL_NAME),
        name="our-seats",
        icon_name="user",
        order=330,
    )
