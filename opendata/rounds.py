"""The consultation rounds: `/api/v1/rounds/` and `/api/v1/rounds/<id>/`.

What the round's public page shows (`consultations/consultation_round_page.html`): live
rounds outside every view restriction, planned ones included as the policy page lists
them; the report's and the response's dates and links once they are published (the
state says so), never before. A round and its translations are one record with the
round's record's state (decision 011), as for the policies (`opendata.policies`). A
round's past states are its record's `RoundStateChange` rows (`states`), read for the
whole page at once.
"""

from collections import defaultdict
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consultations.models import ConsultationRoundPage, RoundKind, RoundState, RoundStateChange

from .parameters import CalendarYear, ChoiceOf
from .policies import (
    ANONYMOUS,
    PageRecordSerializer,
    PolicyChildFilters,
    first_of_each_translation,
    policy_records_of,
    readable,
    record_ids,
    shown_in_language,
    visible_versions,
)
from .resources import Caller, Resource, registry
from .serializers import LabelledChoice

NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}


def public_rounds(caller: Caller = ANONYMOUS) -> QuerySet:
    """The rounds `caller` may open on the site (`opendata.policies.readable`): live and
    public for an anonymous caller (the default), and for a token's user those behind
    view restrictions they pass too."""
    return readable(ConsultationRoundPage.objects.all(), caller)


class RoundFilters(PolicyChildFilters):
    state = ChoiceOf(
        choices=RoundState.values,
        help_text=gettext_lazy("The round's state. Another value: 400."),
    )
    year = CalendarYear(help_text=gettext_lazy("The year the round opens (or opened)."))

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        queryset = super().filter(queryset, cleaned)
        if state := cleaned.get("state"):
            queryset = queryset.filter(state=state)
        if year := cleaned.get("year"):
            queryset = queryset.filter(opens_on__year=year)
        return queryset


@extend_schema_field({"type": ["string", "null"], "format": "uri"})
class PublishedLink(serializers.Field):
    """The round page's section (`#report`, `#response`) once it is published, else null."""

    def __init__(self, anchor: str, published: str, **kwargs: Any) -> None:
        self.anchor, self.published = anchor, published
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, record: Any) -> str | None:
        if not getattr(record.shown, self.published):
            return None
        return f"{self.parent.get_url(record)}#{self.anchor}"


class StateChangeSerializer(serializers.Serializer):
    state = LabelledChoice(RoundState)
    changed_at = serializers.DateTimeField()
    abandoned_reason = serializers.CharField(
        allow_blank=True, help_text="Why it was abandoned, as the steward typed it; else blank."
    )


class RoundSerializer(PageRecordSerializer):
    kind = LabelledChoice(RoundKind, source="shown.kind")
    description = serializers.CharField(source="shown.description", allow_blank=True)
    policy = serializers.IntegerField(
        source="api_policy", allow_null=True, help_text="The policy's id."
    )
    version = serializers.IntegerField(
        source="api_version",
        allow_null=True,
        help_text="The id of the version under consultation; null when none, or not public.",
    )
    state = LabelledChoice(RoundState, source="shown.state")
    state_changed = serializers.DateTimeField(
        source="shown.state_changed_at",
        allow_null=True,
        help_text="When the round last changed state (every change: `states`).",
    )
    states = StateChangeSerializer(
        source="api_states",
        many=True,
        help_text="Every change of state, oldest first (`consultations.RoundStateChange`): "
        "none for a planned round; a round older than that record has its last change only.",
    )
    opens_on = serializers.DateField(source="shown.opens_on")
    closes_on = serializers.DateField(
        source="shown.closes_on", help_text="The last day briefs are taken."
    )
    abandoned_reason = serializers.CharField(source="shown.abandoned_reason", allow_blank=True)
    report_published = serializers.BooleanField(source="shown.report_is_public")
    report_date = serializers.SerializerMethodField(help_text="Null until the report is published.")
    report_url = PublishedLink(
        "report", "report_is_public", help_text="The report on the round's page, once published."
    )
    response_published = serializers.BooleanField(source="shown.response_is_public")
    response_date = serializers.SerializerMethodField(
        help_text="Null until the government's response is published."
    )
    response_url = PublishedLink(
        "response",
        "response_is_public",
        help_text="The government's point-by-point response on the round's page, once published.",
    )

    def prepare(self, records: list, language: str) -> None:
        # The caller's pages: a round behind a restriction they pass keeps its translation,
        # its policy and its version as they see them.
        shown_in_language(records, public_rounds(self.caller), language)
        policies = policy_records_of(records, self.caller)
        keys = {record.version.translation_key for record in records if record.version_id}
        versions = record_ids(visible_versions(self.caller), keys)
        # The history is the record's (decision 011), shared by its translations.
        states: dict = defaultdict(list)
        for change in RoundStateChange.objects.filter(
            round__translation_key__in={record.translation_key for record in records}
        ).annotate(key=F("round__translation_key")):
            states[change.key].append(change)
        for record in records:
            record.api_states = states[record.translation_key]
            record.api_policy = policies[record.path]
            record.api_version = (
                versions.get(record.version.translation_key) if record.version_id else None
            )

    @extend_schema_field(NULLABLE_DATE)
    def get_report_date(self, record: Any) -> str | None:
        shown = record.shown
        if shown.report_is_public and shown.report_date:
            return shown.report_date.isoformat()
        return None

    @extend_schema_field(NULLABLE_DATE)
    def get_response_date(self, record: Any) -> str | None:
        shown = record.shown
        if shown.response_is_public and shown.response_date:
            return shown.response_date.isoformat()
        return None


def round_records(caller: Caller) -> QuerySet:
    return first_of_each_translation(public_rounds(caller)).select_related("version")


rounds = registry.register(
    Resource(
        name="rounds",
        serializer=RoundSerializer,
        filters=RoundFilters,
        records=round_records,
        summary="Consultation rounds",
    )
)
