"""The fora, their seats and who held them as one Popolo document:
`GET /api/v1/popolo/fora.json` (https://www.popoloproject.com/specs/).

- **organizations**: each forum (`concertation:forum:<id>`, classified by its kind), and
  each organization that holds or held one of its seats
  (`concertation:organization:<id>`, classified by its kind);
- **posts**: each seat (`concertation:seat:<id>`), in its forum's organization;
- **memberships**: each seat term (`concertation:seat-term:<id>`): in the forum
  (`organization_id`, as the spec has it: the organization the membership is in), for
  the seat (`post_id`), the holder as `member` and as `on_behalf_of_id` (the delegate
  it sends sits on its behalf; the delegate's name is not in the document: the public
  pages show it for today's term only). `end_date` is the term's last day (Popolo's
  dates are inclusive), the day before the API's `ends_on`.

The same public records as `opendata.fora`, the same for every caller (anonymous or a
token's user, as there), in three queries whatever their number;
absent values are left out rather than null, as Popolo documents do. Labels follow the
answer's language. Optionally one forum's (`forum=<id>`).
"""

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.request import Request

from consultations.fora.models import Forum, Seat, SeatTerm
from search.openapi import RETRY_AFTER, rate_limited_answer, refused

from .fora import ForumOrOrganization
from .parameters import DetailParameters
from .views import ACCEPT_LANGUAGE, GROUP, NOT_MODIFIED, REFUSED_TOKEN, OpenDataView

PREFIX = "concertation"


def popolo_id(kind: str, pk: int) -> str:
    """A stable identifier: the record's kind and id, never reused."""
    return f"{PREFIX}:{kind}:{pk}"


@extend_schema_field({"type": "string", "pattern": rf"^{PREFIX}:[a-z-]+:[1-9][0-9]*$"})
class PopoloId(serializers.Field):
    def __init__(self, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, pk: int) -> str:
        return popolo_id(self.kind, pk)


class PopoloSerializer(serializers.Serializer):
    """Leaves out what has no value (Popolo's properties are optional, never null)."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {
            name: value
            for name, value in super().to_representation(instance).items()
            if value is not None
        }


class PopoloLinkSerializer(serializers.Serializer):
    url = serializers.URLField()


class ForumOrganizationSerializer(PopoloSerializer):
    id = PopoloId("forum", source="pk")
    name = serializers.CharField()
    classification = serializers.CharField(source="get_kind_display")
    founding_date = serializers.DateField(source="active_from")
    dissolution_date = serializers.DateField(source="active_until")
    links = serializers.SerializerMethodField()

    def get_links(self, forum: Forum) -> list[dict[str, str]]:
        url = self.context["request"].build_absolute_uri(forum.get_absolute_url())
        return [{"url": url}]


class MemberOrganizationSerializer(PopoloSerializer):
    id = PopoloId("organization", source="pk")
    name = serializers.CharField()
    classification = serializers.CharField(source="get_kind_display")


class PopoloPostSerializer(PopoloSerializer):
    """A seat, in its forum."""

    id = PopoloId("seat", source="pk")
    label = serializers.CharField()
    role = serializers.CharField(
        source="designated_for", help_text="Whom the seat is for, in the answer's language."
    )
    organization_id = PopoloId("forum", source="forum_id")


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "@type": {"type": "string", "enum": ["Organization"]},
            "id": {"type": "string"},
        },
        "required": ["@type", "id"],
    }
)
class MemberField(serializers.Field):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, term: SeatTerm) -> dict[str, str]:
        return {"@type": "Organization", "id": popolo_id("organization", term.organization_id)}


class LastDayField(serializers.DateField):
    """A term's last day held: the day before its `ends_on` (absent while open-ended)."""

    def to_representation(self, ends_on: datetime.date | None) -> str | None:
        if ends_on is None:
            return None
        return super().to_representation(ends_on - datetime.timedelta(days=1))


class PopoloMembershipSerializer(PopoloSerializer):
    """A seat term: the holder in the forum, for the seat; `end_date` absent while held."""

    id = PopoloId("seat-term", source="pk")
    organization_id = PopoloId(
        "forum", source="seat.forum_id", help_text="The forum the seat belongs to."
    )
    post_id = PopoloId("seat", source="seat_id")
    member = MemberField(help_text="The organization holding the seat.")
    on_behalf_of_id = PopoloId(
        "organization",
        source="organization_id",
        help_text="The holder, on whose behalf its delegate sits.",
    )
    start_date = serializers.DateField(source="starts_on")
    end_date = LastDayField(
        source="ends_on", required=False, help_text="The last day held; absent while held."
    )


class PopoloOrganizationSerializer(serializers.Serializer):
    """Describes both kinds of organization of the document (a forum has dates and a
    link, a seat holder has not)."""

    id = PopoloId("organization")
    name = serializers.CharField()
    classification = serializers.CharField(
        help_text="The forum's or the organization's kind, in the answer's language."
    )
    founding_date = serializers.DateField(required=False, help_text="A forum's first day.")
    dissolution_date = serializers.DateField(
        required=False, help_text="A forum's last day; absent while it is active."
    )
    links = PopoloLinkSerializer(many=True, required=False, help_text="A forum's public page.")


class PopoloDocumentSerializer(serializers.Serializer):
    organizations = PopoloOrganizationSerializer(
        many=True,
        help_text="The fora (`concertation:forum:<id>`), then the organizations holding or "
        "having held their seats (`concertation:organization:<id>`).",
    )
    posts = PopoloPostSerializer(many=True)
    memberships = PopoloMembershipSerializer(many=True)


class PopoloParameters(DetailParameters):
    """`forum=<id>` (optional) and `lang`: no page, no `fields=` (a whole document)."""

    forum = ForumOrOrganization.base_fields["forum"]
    clean_forum = ForumOrOrganization.clean_forum
    fields = None


def popolo_fora(forum: int | None, request: HttpRequest) -> dict[str, list]:
    """The Popolo document of every forum (or of `forum`): three queries."""
    fora: QuerySet[Forum] = Forum.objects.order_by("pk")
    if forum is not None:
        fora = fora.filter(pk=forum)
    terms = SeatTerm.objects.select_related("organization").order_by("starts_on", "pk")
    seats = Seat.objects.select_related("sector", "constituency").order_by("pk")
    fora = fora.prefetch_related(
        Prefetch("seats", queryset=seats),
        Prefetch("seats__terms", queryset=terms),
    )
    context = {"request": request}
    listed = list(fora)
    all_seats = [seat for one in listed for seat in one.seats.all()]
    all_terms = [term for seat in all_seats for term in seat.terms.all()]
    holders = {term.organization_id: term.organization for term in all_terms}
    members = [holders[pk] for pk in sorted(holders)]
    return {
        "organizations": [
            *ForumOrganizationSerializer(listed, many=True, context=context).data,
            *MemberOrganizationSerializer(members, many=True, context=context).data,
        ],
        "posts": PopoloPostSerializer(all_seats, many=True, context=context).data,
        "memberships": PopoloMembershipSerializer(all_terms, many=True, context=context).data,
    }


@extend_schema_view(
    get=extend_schema(
        operation_id="getPopoloFora",
        summary="Fora, seats and seat terms as one Popolo document",
        parameters=[ACCEPT_LANGUAGE, RETRY_AFTER],
        responses={
            200: OpenApiResponse(
                PopoloDocumentSerializer,
                description="A Popolo document: organizations, posts and memberships.",
            ),
            304: NOT_MODIFIED,
            400: refused("an unknown parameter", "a forum that does not exist"),
            401: REFUSED_TOKEN,
            429: rate_limited_answer(GROUP),
        },
    )
)
class PopoloFora(OpenDataView):
    parameters_form = PopoloParameters

    def answer(
        self, request: Request, parameters: dict[str, Any], **kwargs: Any
    ) -> tuple[Any, datetime.datetime | None]:
        return popolo_fora(parameters.get("forum"), request), None
