"""Funding: `/api/v1/programmes/`, `/api/v1/budgets/` and `/api/v1/allocations/` (and
their records at `<id>/`).

Each answers what the site shows the caller, decided by the funding app's own rules
(`organizations.funding.visibility`, `.permissions`), never a copy of them:

- programmes: the whole catalogue is public (the funding explorer's menu, the search);
- budgets: the site shows a programme's budgets only in its admin, to the secretariat
  (who may change programmes) and to the programme's finance staff
  (`ProgrammeBudgetPermissionPolicy`, "view"): an anonymous caller gets none;
- allocations: `visible_allocations(caller)` — published ones for everyone (the rule of
  the public funding pages, their CSV and the 360Giving files), an organization's
  approved ones for its editors, every allocation of a programme, drafts included, for
  its finance staff. Their dates and notes are "detailed records" the pages show only to
  the organization's editors and the programme's finance staff
  (`visibility.DetailedRecords`): null for anyone else.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from organizations.funding.giving360 import CURRENCY
from organizations.funding.models import (
    AllocationStatus,
    FundingMode,
    MoneyOrigin,
    Programme,
    ProgrammeBudget,
)
from organizations.funding.permissions import ProgrammeBudgetPermissionPolicy
from organizations.funding.visibility import DetailedRecords, visible_allocations
from organizations.models import Organization, Region, Sector

from .fora import NamedReferenceSerializer
from .parameters import CalendarYear, ChoiceOf, Codes, OrganizationId, RecordId
from .resources import Caller, Resource, ResourceFilters, registry
from .serializers import LabelledChoice, PublicPageField, TermSerializer

NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
NULLABLE_TEXT = {"type": ["string", "null"]}


class ProgrammeReferenceSerializer(NamedReferenceSerializer):
    slug = serializers.CharField()


def _exists(model: type, pk: int | None, message: str) -> int | None:
    if pk is not None and not model.objects.filter(pk=pk).exists():
        raise ValidationError(message)
    return pk


# --- Programmes -------------------------------------------------------------------


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    funder = NamedReferenceSerializer(help_text="The government body that funds it.")
    mode = LabelledChoice(FundingMode)
    first_fiscal_year = serializers.IntegerField(
        help_text="Named by the calendar year it starts in: 2000 is 2000–2001."
    )
    last_fiscal_year = serializers.IntegerField(allow_null=True, help_text="Null while it runs.")
    description = serializers.CharField(allow_blank=True)
    url = PublicPageField(help_text="The funding explorer showing the programme's allocations.")


def programme_records(caller: Caller) -> QuerySet[Programme]:
    """Every programme: the catalogue is public."""
    return Programme.objects.select_related("funder")


class ProgrammeFilters(ResourceFilters):
    funder = OrganizationId(
        help_text=gettext_lazy("An organization's id: the programmes it funds. No such one: 400.")
    )
    mode = ChoiceOf(
        choices=FundingMode.values,
        help_text=gettext_lazy("The programme's funding mode. Another value: 400."),
    )
    year = CalendarYear(
        help_text=gettext_lazy(
            "A fiscal year, named by the calendar year it starts in: the programmes "
            "running that year."
        )
    )

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        if funder := cleaned.get("funder"):
            queryset = queryset.filter(funder=funder)
        if mode := cleaned.get("mode"):
            queryset = queryset.filter(mode=mode)
        if year := cleaned.get("year"):
            queryset = queryset.filter(first_fiscal_year__lte=year).filter(
                Q(last_fiscal_year__isnull=True) | Q(last_fiscal_year__gte=year)
            )
        return queryset


# --- Budgets ----------------------------------------------------------------------


class BudgetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    programme = ProgrammeReferenceSerializer()
    fiscal_year = serializers.IntegerField(
        help_text="Named by the calendar year it starts in: 2000 is 2000–2001."
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.SerializerMethodField(help_text="Always CAD.")

    def get_currency(self, budget: ProgrammeBudget) -> str:
        return CURRENCY


def budget_records(caller: Caller) -> QuerySet[ProgrammeBudget]:
    """The budgets the admin lets `caller` view: none for an anonymous caller."""
    policy = ProgrammeBudgetPermissionPolicy()
    return policy.instances_user_has_any_permission_for(caller, ["view"]).select_related(
        "programme"
    )


class ProgrammeOrYear(ResourceFilters):
    programme = RecordId(
        help_text=gettext_lazy("A programme's id: its records only. No such programme: 400.")
    )
    year = CalendarYear(
        help_text=gettext_lazy("A fiscal year, named by the calendar year it starts in.")
    )

    def clean_programme(self) -> int | None:
        return _exists(
            Programme, self.cleaned_data.get("programme"), _("no programme has this id.")
        )

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        if programme := cleaned.get("programme"):
            queryset = queryset.filter(programme=programme)
        if year := cleaned.get("year"):
            queryset = queryset.filter(fiscal_year=year)
        return queryset


# --- Allocations ------------------------------------------------------------------


class AllocationPage(serializers.ListSerializer):
    """Which allocations' dates and notes the caller may read, worked out once for the
    page (`DetailedRecords`: two queries for someone signed in, none otherwise)."""

    def to_representation(self, data: Any) -> list:
        records = list(data.all() if isinstance(data, QuerySet) else data)
        request = self.context.get("request")
        details = DetailedRecords.for_user(request.user) if request is not None else None
        for record in records:
            record.api_detailed = details is not None and details.cover(record)
        return [self.child.to_representation(record) for record in records]


class AllocationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organization = NamedReferenceSerializer(help_text="The recipient.")
    programme = ProgrammeReferenceSerializer()
    funder = NamedReferenceSerializer(source="programme.funder")
    fiscal_year = serializers.IntegerField(
        help_text="Named by the calendar year it starts in: 2000 is 2000–2001."
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.SerializerMethodField(help_text="Always CAD.")
    mode = LabelledChoice(FundingMode)
    origin = LabelledChoice(MoneyOrigin, help_text="New money, or reallocated from elsewhere.")
    reallocated_from_programme = ProgrammeReferenceSerializer(allow_null=True)
    reallocated_from_sector = TermSerializer(
        allow_null=True, help_text="The sub-sector the money was moved from."
    )
    status = LabelledChoice(
        AllocationStatus,
        help_text="Published for everyone; approved or draft only for those the site shows "
        "them to.",
    )
    starts_on = serializers.SerializerMethodField(
        help_text="For the organization's editors and the programme's finance staff only; "
        "null for anyone else."
    )
    ends_on = serializers.SerializerMethodField(help_text="As `starts_on`.")
    notes = serializers.SerializerMethodField(help_text="As `starts_on`.")

    class Meta:
        list_serializer_class = AllocationPage

    def get_currency(self, allocation: Any) -> str:
        return CURRENCY

    @extend_schema_field(NULLABLE_DATE)
    def get_starts_on(self, allocation: Any) -> str | None:
        detailed = allocation.api_detailed and allocation.starts_on
        return allocation.starts_on.isoformat() if detailed else None

    @extend_schema_field(NULLABLE_DATE)
    def get_ends_on(self, allocation: Any) -> str | None:
        detailed = allocation.api_detailed and allocation.ends_on
        return allocation.ends_on.isoformat() if detailed else None

    @extend_schema_field(NULLABLE_TEXT)
    def get_notes(self, allocation: Any) -> str | None:
        return allocation.notes if allocation.api_detailed else None


def allocation_records(caller: Caller) -> QuerySet:
    """The allocations the funding pages show `caller` (`visible_allocations`)."""
    return visible_allocations(caller).select_related(
        "organization",
        "programme__funder",
        "reallocated_from_programme",
        "reallocated_from_sector__parent",
    )


_SECTOR_LINKS = Organization.sectors.through


class AllocationFilters(ProgrammeOrYear):
    """The funding explorer's filters, with its meaning (`organizations.funding.report`):
    the region is the recipient's head office (a province selects its regions), a sector
    selects its sub-sectors; plus the recipient."""

    organization = OrganizationId(
        help_text=gettext_lazy(
            "An organization's id: the allocations it receives. No such organization: 400."
        )
    )
    mode = ChoiceOf(
        choices=FundingMode.values,
        help_text=gettext_lazy("The allocation's funding mode. Another value: 400."),
    )
    sector = Codes(
        help_text=gettext_lazy(
            "Sector codes of the recipient (repeat for alternatives); a sector also selects "
            "its sub-sectors. An unknown code: 400."
        )
    )
    region = Codes(
        help_text=gettext_lazy(
            "Region codes of the recipient's head office (repeat for alternatives); a "
            "province also selects its regions. An unknown code: 400."
        )
    )

    TERMS = {"sector": Sector, "region": Region}

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        queryset = super().filter(queryset, cleaned)
        if organization := cleaned.get("organization"):
            queryset = queryset.filter(organization=organization)
        if mode := cleaned.get("mode"):
            queryset = queryset.filter(mode=mode)
        if codes := cleaned.get("region"):
            queryset = queryset.filter(
                Q(organization__region__code__in=codes)
                | Q(organization__region__parent__code__in=codes)
            )
        if codes := cleaned.get("sector"):
            works_in = _SECTOR_LINKS.objects.filter(
                organization_id=OuterRef("organization_id")
            ).filter(Q(sector__code__in=codes) | Q(sector__parent__code__in=codes))
            queryset = queryset.filter(Exists(works_in))
        return queryset


programmes = registry.register(
    Resource(
        name="programmes",
        serializer=ProgrammeSerializer,
        filters=ProgrammeFilters,
        records=programme_records,
        summary="Funding programmes",
    )
)
budgets = registry.register(
    Resource(
        name="budgets",
        serializer=BudgetSerializer,
        filters=ProgrammeOrYear,
        records=budget_records,
        summary="Programme budgets",
    )
)
allocations = registry.register(
    Resource(
        name="allocations",
        serializer=AllocationSerializer,
        filters=AllocationFilters,
        records=allocation_records,
        summary="Funding allocations",
    )
)
