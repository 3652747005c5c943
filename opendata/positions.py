"""The positions: `/api/v1/positions/` and `/api/v1/positions/<id>/`.

What a position's page shows (`consultations/position_page.html`): whose voice it is, the
co-signers who confirmed (never one only asked: `PositionPage.confirmed_co_signers`), the
policy and the version it answers, the day it was stated and its text. Only pages the
site serves the caller: live (a draft or a position awaiting moderation is never served)
and outside every view restriction the caller does not pass, as the policies read it
(`opendata.policies.readable`; an anonymous caller: Wagtail's `public()`). The policy and
version ids are those of the records the caller gets from `/api/v1/policies/` and
`/api/v1/policy-versions/`. A position and its translation are one record, in the answer's
language, as the policies are (`opendata.policies`). Positions stand outside any round:
they have no round to filter by.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from consultations.models import PositionCoSignature, PositionPage
from consultations.models.position import attach_confirmed_co_signers

from .fora import NamedReferenceSerializer
from .parameters import CalendarYear, OrganizationId, RecordId
from .policies import (
    PageRecordSerializer,
    PolicyChildFilters,
    first_of_each_translation,
    readable,
    record_ids,
    shown_in_language,
    visible_policies,
    visible_versions,
)
from .resources import Caller, Resource, registry

RELATED = ("organization", "policy", "version")


def served_positions(caller: Caller) -> QuerySet:
    """The positions the site serves `caller` (`opendata.policies.readable`)."""
    return readable(PositionPage.objects.all(), caller).select_related(*RELATED)


class PositionSerializer(PageRecordSerializer):
    organization = NamedReferenceSerializer(
        source="shown.organization", help_text="The organization whose voice it is."
    )
    co_signers = NamedReferenceSerializer(
        source="api_co_signers",
        many=True,
        help_text="The organizations that confirmed they co-sign it, by name (never one "
        "only asked).",
    )
    policy = serializers.IntegerField(
        source="api_policy",
        allow_null=True,
        help_text="The id of the policy it is about; null when the caller may not open it.",
    )
    version = serializers.IntegerField(
        source="api_version",
        allow_null=True,
        help_text="The id of the version it answers; null when none, or one the caller may "
        "not open.",
    )
    stated_on = serializers.DateField(source="shown.stated_on")
    body = serializers.CharField(
        source="api_body", help_text="The position's text, HTML, as its page shows it."
    )

    def prepare(self, records: list, language: str) -> None:
        """The translations in `language` the caller is served, the confirmed co-signers
        and the policies' and versions' record ids: a fixed number of queries for the
        page."""
        shown_in_language(records, served_positions(self.caller), language)
        attach_confirmed_co_signers(records)
        shown = [record.shown for record in records]
        policies = record_ids(
            visible_policies(self.caller), {page.policy.translation_key for page in shown}
        )
        versions = record_ids(
            visible_versions(self.caller),
            {page.version.translation_key for page in shown if page.version_id},
        )
        for record in records:
            page = record.shown
            record.api_co_signers = record.confirmed_co_signers()
            record.api_policy = policies.get(page.policy.translation_key)
            record.api_version = (
                versions.get(page.version.translation_key) if page.version_id else None
            )
            record.api_body = expand_db_html(page.body)


class PositionFilters(PolicyChildFilters):
    policy = RecordId(
        help_text=gettext_lazy(
            "A policy's id: the positions on it or on one of its versions. A policy not "
            "public: 400."
        )
    )
    version = RecordId(
        help_text=gettext_lazy(
            "A policy version's id: the positions answering it. A version not public: 400."
        )
    )
    organization = OrganizationId(
        help_text=gettext_lazy(
            "An organization's id: the positions in its voice or that it co-signed "
            "(confirmed). No such organization: 400."
        )
    )
    year = CalendarYear(help_text=gettext_lazy("The year the position was stated."))

    def clean_version(self) -> Any:
        chosen = self.cleaned_data.get("version")
        if chosen is None:
            return None
        version = visible_versions(self.caller).filter(pk=chosen).first()
        if version is None:
            raise ValidationError(_("no public version has this id."))
        return version

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        if policy := cleaned.get("policy"):
            queryset = queryset.filter(policy__translation_key=policy.translation_key)
        if version := cleaned.get("version"):
            queryset = queryset.filter(version__translation_key=version.translation_key)
        if organization := cleaned.get("organization"):
            co_signed = (
                PositionCoSignature.objects.confirmed()
                .filter(organization=organization)
                .values("position__translation_key")
            )
            queryset = queryset.filter(
                Q(organization=organization) | Q(translation_key__in=co_signed)
            )
        if year := cleaned.get("year"):
            queryset = queryset.filter(stated_on__year=year)
        return queryset


def position_records(caller: Caller) -> QuerySet:
    return first_of_each_translation(served_positions(caller))


positions = registry.register(
    Resource(
        name="positions",
        serializer=PositionSerializer,
        filters=PositionFilters,
        records=position_records,
        summary="Positions",
    )
)
