"""What the search API answers, as DRF serializers: drf-spectacular turns them into the
response schemas of its OpenAPI description (`search.openapi`). The views write their
bodies themselves (`search.api.results_json`, `search.export.record`, the error shapes of
`concertation.parameters` and `concertation.ratelimits`); the contract tests check every
answer against these schemas, so a field added on one side and not the other fails."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .forms import FACETS, search_kinds

# `date` as the index holds it: a day or a date-time, or null for an undated record.
DATE_HELP = "ISO 8601 date or date-time."


class KindField(serializers.ChoiceField):
    """One of the kinds the index holds, read when a serializer is built (the registry
    is filled once the apps are ready), not when this module is imported."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=search_kinds(), **kwargs)


@extend_schema_field({"type": "null"})
class NoParameter(serializers.Field):
    """The `parameter` of an error no parameter caused: always null."""


class ResultSerializer(serializers.Serializer):
    kind = KindField()
    object_id = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    language = serializers.CharField(
        allow_blank=True, help_text="`en`, `fr`, or empty for a record in both languages."
    )
    date = serializers.CharField(allow_blank=True, allow_null=True, help_text=DATE_HELP)
    highlights = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        help_text="HTML-escaped fragments, matched words in <mark>.",
    )
    like = serializers.CharField(allow_blank=True, help_text="The `like` value for this record.")
    restricted = serializers.BooleanField(
        help_text="Not public: found because the caller's roles let it read the record "
        "(a private page, a brief not yet published)."
    )


class ExportRecordSerializer(serializers.Serializer):
    kind = serializers.CharField(allow_blank=True)
    object_id = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    language = serializers.CharField(allow_blank=True)
    date = serializers.CharField(allow_blank=True, allow_null=True, help_text=DATE_HELP)


class FacetBucketSerializer(serializers.Serializer):
    value = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField(min_value=0)


# One list of buckets per facet, under the facet's name; a facet not asked for is absent.
FacetsSerializer = type(
    "FacetsSerializer",
    (serializers.Serializer,),
    {name: FacetBucketSerializer(many=True, required=False) for name in FACETS},
)


class SearchResponseSerializer(serializers.Serializer):
    total = serializers.IntegerField(min_value=0)
    page = serializers.IntegerField()
    size = serializers.IntegerField()
    results = ResultSerializer(many=True)
    facets = FacetsSerializer(
        help_text="Counts from the same filtered search, over the records the caller may "
        "read (the database fallback counts them too)."
    )
    backend = serializers.ChoiceField(choices=["elasticsearch", "database"])
    notice = serializers.CharField(
        required=False,
        help_text="Present when the database fallback (the simple search) answered: what "
        "it does not do.",
    )


class ErrorDetailSerializer(serializers.Serializer):
    parameter = serializers.CharField(
        allow_blank=True, allow_null=True, help_text="The parameter at fault; null when none is."
    )
    message = serializers.CharField(allow_blank=True)


class ErrorSerializer(serializers.Serializer):
    """`{"error": {"parameter", "message"}}`: what every refusal answers."""

    error = ErrorDetailSerializer()


class LimitSerializer(serializers.Serializer):
    requests = serializers.IntegerField(min_value=1)
    seconds = serializers.IntegerField(min_value=1)


class RateLimitDetailSerializer(serializers.Serializer):
    parameter = NoParameter()
    message = serializers.CharField(allow_blank=True)
    limit = LimitSerializer(
        help_text="At most `requests` requests in `seconds` seconds from one address."
    )
    retry_after = serializers.IntegerField(
        min_value=1, help_text="Seconds to wait, as in `Retry-After`."
    )


class RateLimitErrorSerializer(serializers.Serializer):
    """The 429: the error shape, with the limit and the wait."""

    error = RateLimitDetailSerializer()
