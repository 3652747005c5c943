"""The representation burden: `/api/v1/burden/` and `/api/v1/burden/<organization id>/`.

What the public `/burden/` dashboard and its CSV export show for each organization, no
more: its head-office region and staff, the seats it holds and the fora they are at on
the day asked for (`as_of`, today by default), the meeting, travel and unsupported
hours per month over the window of `BURDEN_WINDOW_MONTHS` months ending that day, hours
per staff FTE, the burden index and whether it is overloaded (docs/burden.md). Every
figure there is public record, for every organization, signed in or not.

A page's figures are `consultations.fora.burden.with_burden`'s, the definition itself,
worked out in one query for the page's organizations only (the dashboard's whole-
catalogue statement would rank every organization to answer a few), so they are equal to
the dashboard's. Figures are rounded to two decimals, as the CSV export writes them.
"""

import datetime
from typing import Any

from django.db.models import DateField, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consultations.fora.burden import window, with_burden
from organizations.models import Organization

from .parameters import CalendarYear, IsoDay, OrganizationId
from .resources import Caller, Resource, ResourceFilters, registry
from .serializers import TermSerializer


def burden_on(organizations: QuerySet, as_of: datetime.date) -> QuerySet:
    """`organizations` with their burden over the window ending on `as_of`."""
    return with_burden(organizations.select_related("region__parent"), window(as_of)).annotate(
        api_as_of=Value(as_of, output_field=DateField())
    )


def burden_records(caller: Caller) -> QuerySet:
    """Every organization with today's burden: the dashboard lists them all."""
    return burden_on(Organization.objects.all(), timezone.localdate())


class Figure(serializers.FloatField):
    """A figure of `with_burden`, to two decimals as the CSV export writes it."""

    def to_representation(self, value: Any) -> float | None:
        return None if value is None else round(float(value), 2)


class BurdenSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The organization's id.")
    name = serializers.CharField(help_text="The organization's name.")
    region = TermSerializer(allow_null=True, help_text="The head office's region.")
    as_of = serializers.DateField(
        source="api_as_of", help_text="The day the burden is measured at (the window's last)."
    )
    window_starts_on = serializers.SerializerMethodField(
        help_text="The window's first day: it covers the days from it to `as_of`, included."
    )
    staff_fte = serializers.DecimalField(
        max_digits=7, decimal_places=2, allow_null=True, help_text="Paid staff, full-time."
    )
    active_seats = serializers.IntegerField(help_text="Seats held on `as_of`.")
    distinct_fora = serializers.IntegerField(help_text="The fora those seats are at.")
    meeting_hours_per_month = Figure(help_text="Meetings attended in the window, per month.")
    travel_hours_per_month = Figure(help_text="Travel to the in-person ones, per month.")
    unsupported_hours_per_month = Figure(
        help_text="Meeting and travel hours in seats with no support at all, per month."
    )
    hours_per_fte = Figure(
        allow_null=True,
        help_text="Meeting and travel hours per month per staff FTE; null without paid staff.",
    )
    burden_index = Figure(
        help_text="(meeting + travel + unsupported hours per month) ÷ staff FTE, with a floor."
    )
    overloaded = serializers.BooleanField(
        help_text="The index or the active seats at or above their thresholds."
    )
    url = serializers.SerializerMethodField(
        help_text="The organization's seats page, its burden on `as_of`, in the answer's language."
    )

    @extend_schema_field({"type": "string", "format": "date"})
    def get_window_starts_on(self, organization: Organization) -> str:
        first = window(organization.api_as_of).start + datetime.timedelta(days=1)
        return first.isoformat()

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, organization: Organization) -> str:
        url = reverse("organization_seats", args=[organization.slug])
        url += "?" + urlencode({"as_of": organization.api_as_of.isoformat()})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class BurdenFilters(ResourceFilters):
    as_of = IsoDay(
        help_text=gettext_lazy(
            "The day the burden is measured at, YYYY-MM-DD (today by default): the seats "
            "held that day, the hours of the months up to it. Another shape: 400."
        )
    )
    year = CalendarYear(
        help_text=gettext_lazy(
            "Instead of `as_of`: the burden measured on December 31 of that year. Both: 400."
        )
    )
    organization = OrganizationId(
        help_text=gettext_lazy(
            "An organization's id: its burden only (with `as_of` or `year`, which one "
            "record's address does not take). No such organization: 400."
        )
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("as_of") and cleaned.get("year"):
            self.add_error("year", _("give `as_of` or `year`, not both."))
        return cleaned

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        as_of = cleaned.get("as_of")
        if year := cleaned.get("year"):
            as_of = datetime.date(year, 12, 31)
        if as_of is not None:
            # The same organizations, their figures on another day.
            chosen = Organization.objects.filter(pk__in=queryset.values("pk"))
            queryset = burden_on(chosen, as_of)
        if organization := cleaned.get("organization"):
            queryset = queryset.filter(pk=organization)
        return queryset


burden = registry.register(
    Resource(
        name="burden",
        serializer=BurdenSerializer,
        filters=BurdenFilters,
        records=burden_records,
        summary="Representation burden",
    )
)
