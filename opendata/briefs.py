"""The briefs sent to consultation rounds: `/api/v1/briefs/` and `/api/v1/briefs/<id>/`.

What the round's page lists (`consultations/consultation_round_page.html`), read through
the same functions, never a copy of their rules:

- which briefs: `Submission.objects.visible_to(caller)` — published ones for everyone
  (the submitter agreed and the round publishes: `SubmissionQuerySet.published`), plus,
  for a signed-in caller, the briefs of the organizations the caller edits and of the
  rounds the caller stewards, as the page shows them that user; only on a round page
  that is live and outside every view restriction;
- the text: `Submission.redacted_summary` (each redacted passage replaced by its notice),
  and the title through the search index's `redact` (the page shows titles as typed: a
  passage typed in the title too never leaves through the API);
- who sent it: `Submission.public_author` — an anonymous brief names no organization,
  co-signer or file title (its public copies are named "Brief 12, document 1" by
  `consultations.public_copies`); an unpublished brief, read by its own editors or its
  stewards only, names its sender as the page does (`round_report._citation`'s rule);
- co-signers: `Submission.confirmed_co_signers`, when the sender is named;
- files: `Submission.public_files` — the ready public copies only, never an original,
  nor a copy that waits for staff (neither its name nor its size), each with the site's
  download address (Wagtail's documents view, which checks `may_read_document` again).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consultations.documents import redact
from consultations.models import (
    ConsultationRoundPage,
    CoSignatureState,
    PolicyPage,
    Publication,
    Submission,
    SubmissionCoSignature,
)
from organizations.models import Organization
from search.service import localize_url

from .organizations import OrganizationReferenceSerializer
from .parameters import CalendarYear, OrganizationId, RecordId
from .policies import (
    ANONYMOUS,
    PageRecords,
    PolicyChildFilters,
    parent_path_of,
    readable,
    record_ids,
    shown_in_language,
    visible_policies,
)
from .resources import Caller, Resource, registry
from .serializers import LabelledChoice


def visible_rounds(caller: Caller = ANONYMOUS) -> QuerySet:
    """The round pages `caller` may open (`opendata.policies.readable`, the rule every
    resource reads): live and public for an anonymous caller."""
    return readable(ConsultationRoundPage.objects.all(), caller)


def round_and_policy_ids(rounds: list, caller: Caller = ANONYMOUS) -> tuple[dict, dict]:
    """The record ids of `rounds` (by translation key) and of their policies (by the
    round's path), as `/api/v1/rounds/` and `/api/v1/policies/` answer them to `caller`.
    The page querysets are unordered: a page's default order (its path) would split
    `record_ids`'s groups, one per page instead of one per translation group."""
    keys = {page.translation_key for page in rounds}
    round_ids = record_ids(visible_rounds(caller).order_by(), keys)
    parents = dict(
        PolicyPage.objects.filter(path__in={parent_path_of(page.path) for page in rounds})
        .order_by()
        .values_list("path", "translation_key")
    )
    policy_ids = record_ids(visible_policies(caller).order_by(), set(parents.values()))
    policies = {
        page.path: policy_ids.get(parents.get(parent_path_of(page.path))) for page in rounds
    }
    return round_ids, policies


def sender_shown(submission: Submission) -> Organization | None:
    """The organization the round page names for this brief: its public author once
    published (none when anonymous); before that, its sender — only its own editors and
    the round's stewards read an unpublished brief."""
    if submission.is_published:
        return submission.organization if submission.public_author() else None
    return submission.organization


class RoundChildFilters(PolicyChildFilters):
    """`policy=<id>` and `round=<id>` on records that belong to a round (`round`)."""

    round = RecordId(
        help_text=gettext_lazy("A round's id: its records only. A round not public: 400.")
    )

    def clean_round(self) -> ConsultationRoundPage | None:
        chosen = self.cleaned_data.get("round")
        if chosen is None:
            return None
        found = visible_rounds(self.caller).filter(pk=chosen).first()
        if found is None:
            raise ValidationError(_("no public round has this id."))
        return found

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        if cleaned.get("policy"):
            rounds = PolicyChildFilters.filter(ConsultationRoundPage.objects.all(), cleaned)
            queryset = queryset.filter(round__in=rounds.values("pk"))
        if round_page := cleaned.get("round"):
            queryset = queryset.filter(round_page.record_filter())
        return queryset


class BriefFilters(RoundChildFilters):
    organization = OrganizationId(
        help_text=gettext_lazy(
            "An organization's id: the briefs it sent or co-signed, published with its name "
            "(an anonymous brief is never found by its author). No such organization: 400."
        )
    )
    year = CalendarYear(help_text=gettext_lazy("The year the brief was sent."))

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        queryset = super().filter(queryset, cleaned)
        if organization := cleaned.get("organization"):
            co_signed = SubmissionCoSignature.objects.filter(
                submission=OuterRef("pk"),
                organization=organization,
                state=CoSignatureState.CONFIRMED,
            )
            # Only where the page names it: a brief published with its name.
            queryset = queryset.filter(publication=Publication.NAMED).filter(
                Q(organization=organization) | Exists(co_signed)
            )
        if year := cleaned.get("year"):
            queryset = queryset.filter(submitted_at__year=year)
        return queryset


class PublicFileSerializer(serializers.Serializer):
    name = serializers.CharField(
        source="title",
        help_text="The public copy's title: an anonymous brief's is neutral "
        "(“Brief 12, document 1”).",
    )
    size = serializers.IntegerField(
        source="file_size", allow_null=True, help_text="In bytes; null when not measured."
    )
    content_type = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The site's download address.")

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, document: Any) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(document.url) if request is not None else document.url


class BriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    round = serializers.IntegerField(
        source="api_round", allow_null=True, help_text="The round's id (`/api/v1/rounds/`)."
    )
    policy = serializers.IntegerField(
        source="api_policy", allow_null=True, help_text="The policy's id."
    )
    title = serializers.CharField(source="api_title")
    summary = serializers.CharField(
        source="redacted_summary",
        help_text="Plain text; each redacted passage replaced by “[redacted: reason]”.",
    )
    language = serializers.CharField(help_text="The language the brief is written in.")
    sections = serializers.ListField(
        child=serializers.CharField(),
        source="api_sections",
        help_text="The anchors of the sections of the version it answers.",
    )
    published = serializers.BooleanField(
        source="is_published",
        help_text="Always true for an anonymous caller; false for a brief its own "
        "organization's editors or the round's stewards read before publication.",
    )
    publication = LabelledChoice(
        Publication, help_text="Named, anonymous (no organization named) or withheld."
    )
    organization = OrganizationReferenceSerializer(
        source="api_organization",
        allow_null=True,
        help_text="Who sent it, as the round's page names it; null for an anonymous brief.",
    )
    co_signers = OrganizationReferenceSerializer(
        source="api_co_signers",
        many=True,
        help_text="The co-signers who confirmed, when the sender is named.",
    )
    files = PublicFileSerializer(
        source="public_files",
        many=True,
        help_text="The public copies ready to download (redacted, metadata stripped); never "
        "an original.",
    )
    submitted_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(
        help_text="The brief on its round's page, in the answer's language."
    )

    class Meta:
        list_serializer_class = PageRecords

    def prepare(self, records: list, language: str) -> None:
        """The rounds' ids, policies and pages in `language`, for the whole page: four
        queries whatever its size."""
        rounds = {record.round_id: record.round for record in records}
        ids, policies = round_and_policy_ids(list(rounds.values()), self.caller)
        shown_in_language(list(rounds.values()), visible_rounds(self.caller), language)
        for record in records:
            record.api_page = rounds[record.round_id].shown
            record.api_round = ids.get(record.round.translation_key)
            record.api_policy = policies[record.round.path]
            record.api_title = redact(record.title, record.redactions.all())
            record.api_sections = [
                anchor.strip() for anchor in record.sections.split(",") if anchor.strip()
            ]
            sender = sender_shown(record)
            record.api_organization = sender
            record.api_co_signers = (
                record.confirmed_co_signers() if sender is not None and record.is_published else []
            )

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, record: Submission) -> str:
        request = self.context.get("request")
        page = record.api_page
        url = page.get_url(request=getattr(request, "_request", request))
        if page.locale.language_code != translation.get_language():
            url = localize_url(url, translation.get_language())
        url = f"{url}#submission-{record.pk}"
        return request.build_absolute_uri(url) if request is not None else url


def visible_briefs(caller: Caller) -> QuerySet:
    """The briefs `caller` reads on the round pages."""
    return Submission.objects.visible_to(caller).filter(
        round__in=visible_rounds(caller).values("pk")
    )


def brief_records(caller: Caller) -> QuerySet:
    """`visible_briefs`, with what the serializer reads."""
    return (
        visible_briefs(caller)
        .select_related("organization", "round__locale")
        .prefetch_related(
            "redactions", "co_signatures__organization", "documents__public_copy__document"
        )
    )


briefs = registry.register(
    Resource(
        name="briefs",
        serializer=BriefSerializer,
        filters=BriefFilters,
        records=brief_records,
        summary="Briefs",
    )
)
