"""Admin screens for fora: the "Fora" menu group (fora, seats, meetings) for the managers
of each forum, and the "Our seats" menu item for the editors of the organizations holding
seats.

Registered by `consultations.fora.wagtail_hooks`; this module only defines them.
"""

import django_filters
from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from concertation.object_permissions import ObjectPermissionEditView, ObjectPermissionViewSetMixin

from . import seat_holder_admin
from .admin_forms import ForumAdminForm, ForumOwnedAdminForm
from .models import Forum, Meeting, Seat
from .permissions import managed_fora, represented_terms


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


class ConsultationsAdminURLs:
    """Keeps the admin URLs and URL names the fora had in the consultations app.

    The models moved to the `fora` app (issue #13); Wagtail would derive the snippet
    URLs from the new label, breaking bookmarks and links."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.model._meta.model_name
        cls.url_prefix = f"snippets/consultations/{name}"
        cls.url_namespace = f"wagtailsnippets_consultations_{name}"
        cls.chooser_base_url_path = f"snippets/choose/consultations/{name}"
        cls.chooser_admin_url_namespace = f"wagtailsnippetchoosers_consultations_{name}"


class ForumViewSet(ConsultationsAdminURLs, ObjectPermissionViewSetMixin, SnippetViewSet):
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


class SeatViewSet(ConsultationsAdminURLs, ObjectPermissionViewSetMixin, SnippetViewSet):
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


class MeetingViewSet(ConsultationsAdminURLs, ObjectPermissionViewSetMixin, SnippetViewSet):
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


class OurSeatsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return represented_terms(request.user).exists()
