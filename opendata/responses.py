"""The government's response points: `/api/v1/response-points/` and `/<id>/`.

What the round page's "Government response" section shows the public
(`consultations.round_report.response_context`): the points of a round once its state is
"government response published" (`ResponsePoint.objects.published`), never before — the
stewards' drafts stay on the round page, for them. Each point cites the briefs that said
it, but only those the caller reads (`opendata.briefs.visible_briefs`, the page's
`Submission.objects.visible_to`): a link to a brief the caller may not read is dropped,
never answered as an id. What was said and the response are in the answer's language
when the point has its translation (`ResponsePoint.in_language`, decision 011).

A resource of its own rather than a list inside each round: points are many, filtered by
policy as well as round, and read in cursor pages like every other record.
"""

from django.db.models import Prefetch, QuerySet
from rest_framework import serializers

from consultations.models import ResponsePoint

from .briefs import RoundChildFilters, round_and_policy_ids, visible_briefs, visible_rounds
from .policies import PageRecords, record_ids, visible_versions
from .resources import Caller, Resource, registry


class ResponsePointSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    round = serializers.IntegerField(
        source="api_round", allow_null=True, help_text="The round's id (`/api/v1/rounds/`)."
    )
    policy = serializers.IntegerField(
        source="api_policy", allow_null=True, help_text="The policy's id."
    )
    version = serializers.IntegerField(
        source="api_version",
        allow_null=True,
        help_text="The id of the version the round consulted on; null when none or not public.",
    )
    position = serializers.IntegerField(help_text="The point's order in the response.")
    section = serializers.CharField(
        allow_blank=True,
        help_text="The anchor of the consulted version's section it is about, as recorded "
        "(e.g. 2.1); blank when none.",
    )
    said = serializers.CharField(source="api_said", help_text="What was said.")
    response = serializers.CharField(source="api_response", help_text="The government's answer.")
    language = serializers.CharField(
        source="api_language", help_text="The language `said` and `response` are in."
    )
    changed_in_next_version = serializers.BooleanField()
    briefs = serializers.ListField(
        child=serializers.IntegerField(),
        source="api_briefs",
        help_text="The ids of the briefs that said it (`/api/v1/briefs/`): those the caller "
        "may read only.",
    )

    class Meta:
        list_serializer_class = PageRecords

    def prepare(self, records: list, language: str) -> None:
        """The rounds' and versions' ids and the policies, for the whole page."""
        rounds = list({record.round_id: record.round for record in records}.values())
        round_ids, policies = round_and_policy_ids(rounds, self.caller)
        consulted = {page.version.translation_key for page in rounds if page.version_id}
        version_ids = record_ids(visible_versions(self.caller).order_by(), consulted)
        for record in records:
            page = record.round
            record.api_round = round_ids.get(page.translation_key)
            record.api_policy = policies[page.path]
            record.api_version = (
                version_ids.get(page.version.translation_key) if page.version_id else None
            )
            record.api_said, record.api_response, record.api_language = record.in_language(
                language, page.locale.language_code
            )
            record.api_briefs = sorted(brief.pk for brief in record.submissions.all())


def response_point_records(caller: Caller) -> QuerySet:
    """The published points of the rounds `caller` may open, each with the briefs
    `caller` reads."""
    return (
        ResponsePoint.objects.published()
        .filter(round__in=visible_rounds(caller).values("pk"))
        .select_related("round__locale", "round__version")
        .prefetch_related(Prefetch("submissions", queryset=visible_briefs(caller).only("pk")))
    )


class ResponsePointFilters(RoundChildFilters):
    """`policy` and `round`, as the briefs'."""


response_points = registry.register(
    Resource(
        name="response-points",
        serializer=ResponsePointSerializer,
        filters=ResponsePointFilters,
        records=response_point_records,
        summary="Response points",
    )
)
