"""The organizations resource: `/api/v1/organizations/` and `/api/v1/organizations/<id>/`.

What it answers is what an anonymous visitor reads on an organization's profile
(`organizations/templates/organizations/organization_detail.html`), no more: not the
autonomy assessments' evidence and assessors, not the finances the profile keeps to
co-operatives, not the editors; the recognition status is null for a government body, as
the profile does not show it. Every organization of the catalogue is public, and the
profile shows a signed-in user nothing more (`organizations.views` reads no user), so an
API token's caller reads the same records as an anonymous one.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from organizations.directory import TAXONOMIES
from organizations.forms import CONSTITUENCY, REGION, SECTOR
from organizations.models import (
    CoalitionMembership,
    Constituency,
    CooperativeType,
    FieldOfActivity,
    MembershipRole,
    Organization,
    OrganizationKind,
    RecognitionStatus,
    Region,
    Sector,
)

from .parameters import Codes
from .resources import Caller, Resource, ResourceFilters, registry
from .serializers import LabelledChoice, PublicPageField, TermSerializer


class OrganizationReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CoalitionSerializer(serializers.Serializer):
    """A coalition the organization belongs to (or belonged to), for a period."""

    coalition = OrganizationReferenceSerializer()
    role = LabelledChoice(MembershipRole)
    start = serializers.DateField(source="start_date", allow_null=True)
    end = serializers.DateField(source="end_date", allow_null=True)


class MemberSerializer(serializers.Serializer):
    """A member of the coalition, for a period."""

    organization = OrganizationReferenceSerializer()
    role = LabelledChoice(MembershipRole)
    start = serializers.DateField(source="start_date", allow_null=True)
    end = serializers.DateField(source="end_date", allow_null=True)


class LanguagesSerializer(serializers.Serializer):
    french = serializers.BooleanField(source="serves_in_french")
    english = serializers.BooleanField(source="serves_in_english")
    other = serializers.CharField(source="other_languages", allow_blank=True)


class ContactSerializer(serializers.Serializer):
    address = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)


class IncorporationSerializer(serializers.Serializer):
    act = serializers.CharField(source="incorporation_act", allow_blank=True)
    jurisdiction = TermSerializer(source="incorporation_jurisdiction", allow_null=True)
    date = serializers.DateField(source="incorporation_date", allow_null=True)
    share_capital = serializers.BooleanField(
        source="has_share_capital",
        allow_null=True,
        help_text="Co-operatives: incorporated with share capital (equity) or without.",
    )


class RecognitionField(LabelledChoice):
    """Null for a government body: recognition concerns the community sector."""

    def get_attribute(self, instance: Organization) -> Any:
        if instance.kind == OrganizationKind.GOVERNMENT:
            return ""
        return instance.recognition_status


class OrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField(help_text="The name in everyday use.")
    legal_name = serializers.CharField(allow_blank=True)
    kind = LabelledChoice(OrganizationKind)
    cooperative_type = LabelledChoice(CooperativeType, help_text="Co-operatives only.")
    summary = serializers.CharField(
        allow_blank=True,
        help_text="In the answer's language, or the other one when it has none.",
    )
    founded_year = serializers.IntegerField(allow_null=True)
    incorporation = IncorporationSerializer(source="*")
    staff_fte = serializers.DecimalField(
        max_digits=7, decimal_places=2, allow_null=True, help_text="Paid staff, full-time."
    )
    member_count = serializers.IntegerField(allow_null=True)
    region = TermSerializer(allow_null=True, help_text="The head office's region.")
    regions_served = TermSerializer(source="api_regions_served", many=True)
    sectors = TermSerializer(source="api_sectors", many=True)
    constituencies = TermSerializer(source="api_constituencies", many=True)
    fields_of_activity = TermSerializer(source="api_fields_of_activity", many=True)
    languages_of_service = LanguagesSerializer(source="*")
    contact = ContactSerializer(source="*")
    recognition_status = RecognitionField(
        RecognitionStatus,
        help_text="As an autonomous community organization, derived from the autonomy "
        "assessments; null for a government body.",
    )
    coalitions = CoalitionSerializer(source="api_memberships", many=True)
    members = MemberSerializer(
        source="api_coalition_members", many=True, help_text="A coalition's members."
    )
    url = PublicPageField(help_text="The organization's public page.")
    created = serializers.DateTimeField(source="created_at")
    updated = serializers.DateTimeField(source="updated_at")


def _terms(model: type) -> QuerySet:
    return model.objects.select_related("parent")


def public_organizations(caller: Caller) -> QuerySet[Organization]:
    """Every organization, whoever asks, with what `OrganizationSerializer` reads: one
    query for the page and one per relation, whatever the page's size. The relations
    are prefetched into plain lists (`to_attr`): a prefetched manager costs a related
    manager and a filtered queryset per organization and relation, most of a page's
    time (docs/performance.md, "Open-data API")."""
    return Organization.objects.select_related(
        "region__parent", "incorporation_jurisdiction__parent"
    ).prefetch_related(
        Prefetch("regions_served", queryset=_terms(Region), to_attr="api_regions_served"),
        Prefetch("sectors", queryset=_terms(Sector), to_attr="api_sectors"),
        Prefetch("constituencies", queryset=_terms(Constituency), to_attr="api_constituencies"),
        Prefetch(
            "fields_of_activity",
            queryset=_terms(FieldOfActivity),
            to_attr="api_fields_of_activity",
        ),
        Prefetch(
            "memberships",
            queryset=CoalitionMembership.objects.select_related("coalition").order_by(
                "-start_date", "pk"
            ),
            to_attr="api_memberships",
        ),
        Prefetch(
            "coalition_members",
            queryset=CoalitionMembership.objects.select_related("organization").order_by(
                "organization__name", "pk"
            ),
            to_attr="api_coalition_members",
        ),
    )


class OrganizationFilters(ResourceFilters):
    """The directory's taxonomy filters, with its meaning (`organizations.directory`):
    values of one filter are alternatives, filters combine, a term selects its
    children, a region matches the head office or a region served."""

    sector = Codes(
        help_text=gettext_lazy(
            "Sector codes (repeat for alternatives); a sector also selects its "
            "sub-sectors. An unknown code: 400."
        )
    )
    region = Codes(
        help_text=gettext_lazy(
            "Region codes (repeat for alternatives), matching the head office or a "
            "region served; a province also selects its regions. An unknown code: 400."
        )
    )
    constituency = Codes(
        help_text=gettext_lazy(
            "Constituency codes (repeat for alternatives). An unknown code: 400."
        )
    )

    TERMS = {SECTOR: Sector, REGION: Region, CONSTITUENCY: Constituency}

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        for name in cls.TERMS:
            if codes := cleaned.get(name):
                queryset = queryset.filter(TAXONOMIES[name].filter(codes))
        return queryset


organizations = registry.register(
    Resource(
        name="organizations",
        serializer=OrganizationSerializer,
        filters=OrganizationFilters,
        records=public_organizations,
        summary="Organizations",
        updated_field="updated_at",
    )
)
