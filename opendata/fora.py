"""The fora and their seats: `/api/v1/fora/`, `/api/v1/seats/`, `/api/v1/seat-terms/` and
`/api/v1/meetings/` (and their records at `<id>/`).

What they answer is what the public fora pages show (`consultations/fora/views.py`:
`forum_detail.html`, `organization_seats.html`), no more. Every forum, seat, term and
meeting is public record; but a delegate's name is shown on those pages only for the
term held today, so a past or upcoming term answers `delegate: null`; who confirmed an
attendance, and which seat attended which meeting, are not shown (a meeting answers the
number of seats present, as the forum's page does). Those pages show a signed-in user
nothing more (`consultations.fora.views` reads no user; what a holder's editors manage
is in the admin), so an API token's caller reads the same records as an anonymous one.
The same records as Popolo JSON: `opendata.popolo`.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from consultations.fora.models import (
    Forum,
    ForumKind,
    ForumLevel,
    Meeting,
    MeetingMode,
    Seat,
    SeatDesignation,
    SeatTerm,
)
from organizations.models import Sector

from .parameters import CalendarYear, ChoiceOf, IsoDay, OrganizationId, RecordId
from .resources import Caller, Resource, ResourceFilters, registry
from .serializers import LabelledChoice, PublicPageField, TermSerializer


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class ForumOrOrganization(ResourceFilters):
    """`forum=<id>` and `organization=<id>`, each checked to name a record (else 400)."""

    forum = RecordId(help_text=gettext_lazy("A forum's id: its records only. No such forum: 400."))
    organization = OrganizationId(
        help_text=gettext_lazy(
            "An organization's id: the records where it holds or held a seat. "
            "No such organization: 400."
        )
    )

    def clean_forum(self) -> int | None:
        chosen = self.cleaned_data.get("forum")
        if chosen is not None and not Forum.objects.filter(pk=chosen).exists():
            raise ValidationError(_("no forum has this id."))
        return chosen


# --- Shared shapes ----------------------------------------------------------------


class NamedReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SeatReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class SupportSerializer(serializers.Serializer):
    per_diem = serializers.DecimalField(
        max_digits=8, decimal_places=2, help_text="CAD a meeting; 0 when none."
    )
    travel_allowance = serializers.DecimalField(
        max_digits=8, decimal_places=2, help_text="Travel costs covered, CAD a meeting, at most."
    )
    release_time_hours = serializers.DecimalField(
        max_digits=6, decimal_places=2, help_text="Release time paid, hours a month."
    )


def _terms(model: type) -> QuerySet:
    return model.objects.select_related("parent")


# --- Fora -------------------------------------------------------------------------


class ForumSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    level = LabelledChoice(ForumLevel)
    kind = LabelledChoice(ForumKind)
    intermediary = serializers.BooleanField(
        source="is_intermediary",
        help_text="An intermediary structure between the state and the sector.",
    )
    convenor = NamedReferenceSerializer(help_text="The organization convening the forum.")
    region = TermSerializer(allow_null=True)
    sectors = TermSerializer(many=True)
    active_from = serializers.DateField()
    active_until = serializers.DateField(allow_null=True, help_text="Null while active.")
    description = serializers.CharField(allow_blank=True)
    url = PublicPageField(help_text="The forum's public page.")


def public_fora(caller: Caller) -> QuerySet[Forum]:
    """Every forum (all are public), with its convenor, region and sectors."""
    return Forum.objects.select_related("convenor", "region__parent").prefetch_related(
        Prefetch("sectors", queryset=_terms(Sector))
    )


class ForumFilters(ForumOrOrganization):
    forum = None  # A forum's own id is its record's address.
    level = ChoiceOf(
        choices=ForumLevel.values, help_text=gettext_lazy("The forum's level. Another value: 400.")
    )
    kind = ChoiceOf(
        choices=ForumKind.values, help_text=gettext_lazy("The forum's kind. Another value: 400.")
    )
    organization = OrganizationId(
        help_text=gettext_lazy(
            "An organization's id: the fora it convenes or where it holds or held a seat. "
            "No such organization: 400."
        )
    )
    year = CalendarYear(help_text=gettext_lazy("The fora active during that calendar year."))

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        for name in ("level", "kind"):
            if value := cleaned.get(name):
                queryset = queryset.filter(**{name: value})
        if organization := cleaned.get("organization"):
            held = SeatTerm.objects.filter(seat__forum=OuterRef("pk"), organization=organization)
            queryset = queryset.filter(Q(convenor=organization) | Q(Exists(held)))
        if year := cleaned.get("year"):
            first, last = _year_bounds(year)
            queryset = queryset.filter(active_from__lte=last).filter(
                Q(active_until__isnull=True) | Q(active_until__gte=first)
            )
        return queryset


# --- Seats ------------------------------------------------------------------------


class HolderField(NamedReferenceSerializer):
    """The organization holding the seat today (prefetched as `held_today`), or null."""

    def get_attribute(self, seat: Seat) -> Any:
        return seat.held_today[0].organization if seat.held_today else None


class SeatSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    forum = NamedReferenceSerializer()
    label = serializers.CharField()
    designation = LabelledChoice(SeatDesignation)
    designated_for = serializers.CharField(
        help_text="Whom the seat is for, as a phrase: the sector “Housing”, the government…"
    )
    sector = TermSerializer(allow_null=True, help_text="A seat designated for a sector.")
    constituency = TermSerializer(
        allow_null=True, help_text="A seat designated for a constituency."
    )
    support = SupportSerializer(source="*")
    holder = HolderField(allow_null=True, help_text="Who holds it today; null when vacant.")


def public_seats(caller: Caller) -> QuerySet[Seat]:
    """Every seat with its forum, designation terms and today's holder."""
    today = timezone.localdate()
    return Seat.objects.select_related(
        "forum", "sector__parent", "constituency__parent"
    ).prefetch_related(
        Prefetch(
            "terms",
            queryset=SeatTerm.objects.active_on(today).select_related("organization"),
            to_attr="held_today",
        )
    )


class SeatFilters(ForumOrOrganization):
    designation = ChoiceOf(
        choices=SeatDesignation.values,
        help_text=gettext_lazy("Whom the seat is designated for. Another value: 400."),
    )

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        if forum := cleaned.get("forum"):
            queryset = queryset.filter(forum=forum)
        if designation := cleaned.get("designation"):
            queryset = queryset.filter(designation=designation)
        if organization := cleaned.get("organization"):
            held = SeatTerm.objects.filter(seat=OuterRef("pk"), organization=organization)
            queryset = queryset.filter(Exists(held))
        return queryset


# --- Seat terms -------------------------------------------------------------------


class DelegateField(serializers.CharField):
    """The delegate's name for the term held today only, as the public pages show it;
    null otherwise (and when none is named)."""

    def get_attribute(self, term: SeatTerm) -> Any:
        if not term.delegate or not term.is_active(timezone.localdate()):
            return None
        return term.delegate


class SeatTermSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seat = SeatReferenceSerializer()
    forum = NamedReferenceSerializer(source="seat.forum")
    organization = NamedReferenceSerializer(help_text="The holder.")
    starts_on = serializers.DateField(help_text="The first day it is held.")
    ends_on = serializers.DateField(
        allow_null=True,
        help_text="The first day it is no longer held; null while open-ended.",
    )
    delegate = DelegateField(
        allow_null=True,
        help_text="The person the holder sends: for the term held today only, as on the "
        "forum's page; null for past and upcoming terms.",
    )


def public_seat_terms(caller: Caller) -> QuerySet[SeatTerm]:
    return SeatTerm.objects.select_related("seat__forum", "organization")


class SeatTermFilters(ForumOrOrganization):
    organization = OrganizationId(
        help_text=gettext_lazy(
            "An organization's id: the terms it holds or held. No such organization: 400."
        )
    )
    seat = RecordId(help_text=gettext_lazy("A seat's id: its terms. No such seat: 400."))
    year = CalendarYear(
        help_text=gettext_lazy("The terms during which the seat was held in that calendar year.")
    )
    active_on = IsoDay(
        help_text=gettext_lazy("A day, YYYY-MM-DD: the terms held on that day. Another shape: 400.")
    )

    def clean_seat(self) -> int | None:
        chosen = self.cleaned_data.get("seat")
        if chosen is not None and not Seat.objects.filter(pk=chosen).exists():
            raise ValidationError(_("no seat has this id."))
        return chosen

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        if forum := cleaned.get("forum"):
            queryset = queryset.filter(seat__forum=forum)
        if seat := cleaned.get("seat"):
            queryset = queryset.filter(seat=seat)
        if organization := cleaned.get("organization"):
            queryset = queryset.filter(organization=organization)
        if year := cleaned.get("year"):
            first, last = _year_bounds(year)
            queryset = queryset.overlapping(first, last + datetime.timedelta(days=1))
        if day := cleaned.get("active_on"):
            queryset = queryset.active_on(day)
        return queryset


# --- Meetings ---------------------------------------------------------------------


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    forum = NamedReferenceSerializer()
    held_on = serializers.DateField()
    duration_hours = serializers.DecimalField(max_digits=5, decimal_places=2)
    mode = LabelledChoice(MeetingMode)
    travel_hours = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        help_text="The usual return travel time for a delegate; zero when online.",
    )
    seats_present = serializers.IntegerField(help_text="Seats whose holder attended.")


def public_meetings(caller: Caller) -> QuerySet[Meeting]:
    return Meeting.objects.select_related("forum").annotate(
        seats_present=Count("attendances", filter=Q(attendances__attended=True))
    )


class MeetingFilters(ForumOrOrganization):
    organization = OrganizationId(
        help_text=gettext_lazy(
            "An organization's id: the meetings of the fora where it held a seat that day. "
            "No such organization: 400."
        )
    )
    mode = ChoiceOf(
        choices=MeetingMode.values,
        help_text=gettext_lazy("In person or online. Another value: 400."),
    )
    year = CalendarYear(help_text=gettext_lazy("The meetings held in that calendar year."))

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        if forum := cleaned.get("forum"):
            queryset = queryset.filter(forum=forum)
        if mode := cleaned.get("mode"):
            queryset = queryset.filter(mode=mode)
        if year := cleaned.get("year"):
            queryset = queryset.filter(held_on__year=year)
        if organization := cleaned.get("organization"):
            seated = SeatTerm.objects.filter(
                seat__forum=OuterRef("forum"),
                organization=organization,
                starts_on__lte=OuterRef("held_on"),
            ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=OuterRef("held_on")))
            queryset = queryset.filter(Exists(seated))
        return queryset


fora = registry.register(
    Resource(
        name="fora",
        serializer=ForumSerializer,
        filters=ForumFilters,
        records=public_fora,
        summary="Fora",
    )
)
seats = registry.register(
    Resource(
        name="seats",
        serializer=SeatSerializer,
        filters=SeatFilters,
        records=public_seats,
        summary="Seats",
    )
)
seat_terms = registry.register(
    Resource(
        name="seat-terms",
        serializer=SeatTermSerializer,
        filters=SeatTermFilters,
        records=public_seat_terms,
        summary="Seat terms",
    )
)
meetings = registry.register(
    Resource(
        name="meetings",
        serializer=MeetingSerializer,
        filters=MeetingFilters,
        records=public_meetings,
        summary="Meetings",
    )
)
