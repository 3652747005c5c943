"""The policies and their versions: `/api/v1/policies/`, `/api/v1/policy-versions/` and
`/api/v1/policy-versions/<id>/diff/?to=<id>`.

An anonymous caller reads what an anonymous visitor of the site reads: live pages
outside every view restriction, and versions once released (never an internal one:
`PolicyVersionQuerySet.publicly_visible`, the rule of the policy page and the feeds). A
token's user reads besides what the site serves that user (`readable`): pages behind view
restrictions they pass, and the internal versions they may edit.

A page and its translations are one record: its id is the lowest id among the group's
public pages, the same in both languages, and its content (title, text, address) is the
public translation in the answer's language when there is one, else the page as
recorded, its address put in the answer's language as the site shows it (with its
notice). `language` says which. The translations, the policy of a version and the
versions of a policy are read for the whole page at once (`PageRecords.prepare`), so a
page of records costs the same queries whatever its size.
"""

from collections import defaultdict
from datetime import datetime
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.request import Request

from consultations.diff import diff_versions
from consultations.models import PolicyPage, PolicyVersionPage, VersionStatus
from search.openapi import RETRY_AFTER, rate_limited_answer, refused
from search.readers import may_read, page_readers, principals, view_restrictions_of
from search.serializers import ErrorSerializer
from search.service import localize_url

from .parameters import CalendarYear, Language, RecordId
from .resources import Caller, Resource, ResourceFilters, registry
from .serializers import LabelledChoice
from .views import (
    ACCEPT_LANGUAGE,
    GROUP,
    NOT_MODIFIED,
    REFUSED_TOKEN,
    OpenDataView,
    json_answer,
)

ANONYMOUS = AnonymousUser()


def public_policies() -> QuerySet:
    return PolicyPage.objects.live().public()


def public_versions() -> QuerySet:
    return PolicyVersionPage.objects.publicly_visible()


def signed_in(caller: Caller) -> bool:
    return caller.is_authenticated and caller.is_active


def readable(pages: QuerySet, caller: Caller) -> QuerySet:
    """The live `pages` `caller` may open on the site: outside every view restriction,
    or behind restrictions the caller passes — read as the archive search reads them
    (`search.readers`: signed in, groups, superusers; a password never, the API keeping
    no session). Anonymous: `public()`, no more; a user: three queries more, whatever the
    number of restricted pages' readers."""
    pages = pages.live()
    if not signed_in(caller):
        return pages.public()
    private = pages.private_q()
    restricted = list(pages.filter(private).only("pk", "path"))
    tokens = principals(caller)
    restrictions = view_restrictions_of(restricted)
    allowed = [
        page.pk
        for page in restricted
        if may_read(page_readers(restrictions.get(page.path, [])), tokens)
    ]
    return pages.filter(~private | Q(pk__in=allowed))


def visible_policies(caller: Caller) -> QuerySet:
    """The policies `caller` may open (anonymous: `public_policies()`)."""
    return readable(PolicyPage.objects.all(), caller)


def visible_versions(caller: Caller) -> QuerySet:
    """The versions `caller` may open: released ones they may open, and internal ones
    the site serves them because they may edit them (`PolicyVersionPage.serve`)."""
    if not signed_in(caller):
        return public_versions()
    versions = readable(PolicyVersionPage.objects.all(), caller)
    internal = versions.filter(status=VersionStatus.INTERNAL)
    editable = [page.pk for page in internal if page.permissions_for_user(caller).can_edit()]
    return versions.filter(~Q(status=VersionStatus.INTERNAL) | Q(pk__in=editable))


def first_of_each_translation(pages: QuerySet) -> QuerySet:
    """One page of each translation group among `pages`: the lowest id (the page as
    first recorded, unless only its translation is public)."""
    earlier = pages.filter(translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk"))
    return pages.filter(~Exists(earlier)).select_related("locale")


def record_ids(pages: QuerySet, keys: set) -> dict:
    """The record id (lowest public id) of each translation group in `keys`: one query."""
    # Unordered: a page queryset's default order (`path`) would join the GROUP BY and
    # answer one row per page instead of one per translation group.
    rows = (
        pages.filter(translation_key__in=keys)
        .order_by()
        .values("translation_key")
        .annotate(first=Min("pk"))
    )
    return {row["translation_key"]: row["first"] for row in rows}


def children_of(parents: list) -> Q:
    """The pages right under any of `parents`."""
    condition = Q(pk__in=[])
    for parent in parents:
        condition |= Q(path__startswith=parent.path, depth=parent.depth + 1)
    return condition


def parent_path_of(path: str) -> str:
    return path[: -PolicyPage.steplen]


def policy_records_of(pages: list, caller: Caller = ANONYMOUS) -> dict[str, int | None]:
    """The policy record id of each page's parent (among those `caller` may open), by
    the page's path: two queries."""
    parents = dict(
        PolicyPage.objects.filter(
            path__in={parent_path_of(page.path) for page in pages}
        ).values_list("path", "translation_key")
    )
    ids = record_ids(visible_policies(caller), set(parents.values()))
    return {page.path: ids.get(parents.get(parent_path_of(page.path))) for page in pages}


def shown_in_language(records: list, pages: QuerySet, language: str) -> None:
    """Set `record.shown`: its public translation in `language`, else the record."""
    translations = {
        page.translation_key: page
        for page in pages.filter(
            translation_key__in={record.translation_key for record in records},
            locale__language_code=language,
        ).select_related("locale")
    }
    for record in records:
        in_language = record.locale.language_code == language
        record.shown = record if in_language else translations.get(record.translation_key, record)


class PageRecords(serializers.ListSerializer):
    """Lets the item serializer read what the whole page needs at once (`prepare`)."""

    def to_representation(self, data: Any) -> list:
        records = list(data.all() if isinstance(data, QuerySet) else data)
        request = self.context.get("request")
        self.child.caller = getattr(request, "user", None) or ANONYMOUS
        if records:
            self.child.prepare(records, translation.get_language())
        return [self.child.to_representation(record) for record in records]


class PageRecordSerializer(serializers.Serializer):
    """What every page record answers: its id, title, language and public address."""

    id = serializers.IntegerField(
        source="pk", help_text="The record's id, the same in both languages."
    )
    title = serializers.CharField(source="shown.title")
    language = serializers.CharField(
        source="shown.locale.language_code",
        help_text="The language of the text answered: the answer's, or the page's own when "
        "it has no translation in the answer's language.",
    )
    url = serializers.SerializerMethodField(
        help_text="The public page, in the answer's language (a page without a translation "
        "is shown there in its own language, with a notice)."
    )

    # Who asks: set by `PageRecords` for `prepare` (the pages it reads are theirs).
    caller: Caller = ANONYMOUS

    class Meta:
        list_serializer_class = PageRecords

    def prepare(self, records: list, language: str) -> None:
        raise NotImplementedError

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, record: Any) -> str:
        request = self.context.get("request")
        http_request = getattr(request, "_request", request)
        url = record.shown.get_url(request=http_request)
        language = translation.get_language()
        if record.shown.locale.language_code != language:
            url = localize_url(url, language)
        return request.build_absolute_uri(url) if request is not None else url


class PolicySerializer(PageRecordSerializer):
    summary = serializers.CharField(
        source="shown.summary", allow_blank=True, help_text="HTML, as the policy's page shows it."
    )
    languages = serializers.ListField(
        child=serializers.CharField(),
        source="api_languages",
        help_text="The languages the policy's page is published in.",
    )
    versions = serializers.ListField(
        child=serializers.IntegerField(),
        source="api_versions",
        help_text="The ids of its public versions, by number (never an internal one).",
    )

    def prepare(self, records: list, language: str) -> None:
        """Each policy's public pages (its languages and its translation), then the
        public versions under any of them: two queries for the page."""
        keys = {record.translation_key for record in records}
        group = list(
            visible_policies(self.caller).filter(translation_key__in=keys).select_related("locale")
        )
        pages: dict = defaultdict(list)
        for page in group:
            pages[page.translation_key].append(page)
        policy_of = {page.path: page.translation_key for page in group}
        # Each version's translation group once: its policy, number and record id.
        versions: dict = {}
        for pk, key, number, path in (
            visible_versions(self.caller)
            .filter(children_of(group))
            .order_by("pk")
            .values_list("pk", "translation_key", "number", "path")
        ):
            versions.setdefault(key, (policy_of[parent_path_of(path)], number, pk))
        for record in records:
            translations = pages[record.translation_key]
            record.shown = next(
                (page for page in translations if page.locale.language_code == language),
                record,
            )
            if record.locale.language_code == language:
                record.shown = record
            record.api_languages = sorted({page.locale.language_code for page in translations})
            record.api_versions = [
                pk
                for policy, _number, pk in sorted(versions.values(), key=lambda v: v[1:])
                if policy == record.translation_key
            ]


class SectionSerializer(serializers.Serializer):
    anchor = serializers.CharField(help_text="The section's stable identifier, e.g. 2.1.")
    heading = serializers.CharField()
    text = serializers.CharField(
        allow_blank=True,
        help_text="Plain text (the page's HTML without its tags), as the comparison and "
        "the search read it.",
    )


class PolicyVersionSerializer(PageRecordSerializer):
    policy = serializers.IntegerField(
        source="api_policy", allow_null=True, help_text="The policy's id."
    )
    number = serializers.IntegerField(source="shown.number")
    status = LabelledChoice(VersionStatus, source="shown.status")
    release_date = serializers.DateField(source="shown.release_date")
    summary_of_changes = serializers.CharField(source="shown.summary_of_changes", allow_blank=True)
    sections = SectionSerializer(source="api_sections", many=True)

    def prepare(self, records: list, language: str) -> None:
        shown_in_language(records, visible_versions(self.caller), language)
        policies = policy_records_of(records, self.caller)
        for record in records:
            record.api_policy = policies[record.path]
            record.api_sections = record.shown.sections()


class PolicyChildFilters(ResourceFilters):
    """`policy=<id>`: the pages of one policy, under any of its translations."""

    policy = RecordId(
        help_text=gettext_lazy("A policy's id: its records only. A policy not public: 400.")
    )
    # Who asks (`opendata.views.with_caller`): a policy they may not open is refused.
    caller: Caller = ANONYMOUS

    def clean_policy(self) -> PolicyPage | None:
        chosen = self.cleaned_data.get("policy")
        if chosen is None:
            return None
        policy = visible_policies(self.caller).filter(pk=chosen).first()
        if policy is None:
            raise ValidationError(_("no public policy has this id."))
        return policy

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        if policy := cleaned.get("policy"):
            translations = PolicyPage.objects.filter(translation_key=policy.translation_key)
            queryset = queryset.filter(children_of(list(translations)))
        return queryset


class PolicyVersionFilters(PolicyChildFilters):
    year = CalendarYear(help_text=gettext_lazy("The year of release."))

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        queryset = super().filter(queryset, cleaned)
        if year := cleaned.get("year"):
            queryset = queryset.filter(release_date__year=year)
        return queryset


def policy_records(caller: Caller) -> QuerySet:
    return first_of_each_translation(visible_policies(caller))


def version_records(caller: Caller) -> QuerySet:
    return first_of_each_translation(visible_versions(caller))


policies = registry.register(
    Resource(
        name="policies",
        serializer=PolicySerializer,
        filters=ResourceFilters,
        records=policy_records,
        summary="Policies",
    )
)

policy_versions = registry.register(
    Resource(
        name="policy-versions",
        serializer=PolicyVersionSerializer,
        filters=PolicyVersionFilters,
        records=version_records,
        summary="Policy versions",
    )
)


# The comparison of two versions: the site's own (`consultations.diff.diff_versions`).


class WordRunSerializer(serializers.Serializer):
    change = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class SectionDiffSerializer(serializers.Serializer):
    anchor = serializers.CharField()
    heading = serializers.CharField(allow_blank=True, help_text="Blank for a removed section.")
    previous_heading = serializers.CharField(
        allow_blank=True, help_text="Blank for an added section."
    )
    change = serializers.ChoiceField(choices=["added", "removed", "changed", "unchanged"])
    runs = WordRunSerializer(many=True, help_text="The words, unchanged, inserted or deleted.")


class ComparedVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()


# Built with `type`: its first field is named `from`, a Python keyword.
VersionDiffSerializer = type(
    "VersionDiffSerializer",
    (serializers.Serializer,),
    {
        "from": ComparedVersionSerializer(help_text="The version in the path."),
        "to": ComparedVersionSerializer(help_text="The version it is compared with."),
        "language": serializers.CharField(help_text="The language of the texts compared."),
        "sections": SectionDiffSerializer(many=True),
    },
)


class To(RecordId):
    def to_python(self, value: Any) -> int | None:
        chosen = super().to_python(value)
        if chosen is None:
            raise ValidationError(_("give the id of the version to compare with."))
        return chosen


class VersionDiffParameters(forms.Form):
    to = To(
        required=True,
        help_text=gettext_lazy(
            "The id of the version to compare with: a public version of the same policy. Required."
        ),
    )
    lang = Language(
        help_text=gettext_lazy(
            "The language of the texts compared, when both versions are translated: `en` or "
            "`fr`. Without it, `Accept-Language` decides (English by default)."
        )
    )


def _refused_to(message: str) -> JsonResponse:
    return json_answer({"error": {"parameter": "to", "message": message}}, 400)


def compared(
    before: PolicyVersionPage, after: PolicyVersionPage, language: str, caller: Caller
) -> tuple:
    """The two texts compared: both translations in `language` when both have one, else
    the two records as recorded."""
    records = [before, after]
    shown_in_language(records, visible_versions(caller), language)
    if all(record.shown.locale.language_code == language for record in records):
        return before.shown, after.shown
    return before, after


@extend_schema_view(
    get=extend_schema(
        operation_id="diffPolicyVersions",
        summary="Policy versions: the changes between two versions",
        description="Section by section (matched by anchor) and word by word, as the policy's "
        "comparison page shows them (`consultations.diff`).",
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The version's id."),
            ACCEPT_LANGUAGE,
            RETRY_AFTER,
        ],
        responses={
            200: OpenApiResponse(VersionDiffSerializer, description="The comparison."),
            304: NOT_MODIFIED,
            400: refused("`to` the same version, another policy's or not public"),
            401: REFUSED_TOKEN,
            404: OpenApiResponse(ErrorSerializer, description="No public version has this id."),
            429: rate_limited_answer(GROUP),
        },
    )
)
class VersionDiff(OpenDataView):
    """`policy-versions/<id>/diff/?to=<id>`: the site's comparison of two public versions
    of one policy (`consultations.diff.diff_versions`, what the compare page shows)."""

    resource = policy_versions
    parameters_form = VersionDiffParameters

    def answer(
        self, request: Request, parameters: dict[str, Any], **kwargs: Any
    ) -> tuple[Any, datetime | None]:
        chosen = version_records(request.user).filter(pk__in=[kwargs["id"], parameters["to"]])
        found = {version.pk: version for version in chosen}
        before = found.get(kwargs["id"])
        if before is None:
            message = _("No record has this id.")
            return json_answer({"error": {"parameter": "id", "message": message}}, 404), None
        after = found.get(parameters["to"])
        if after is None:
            return _refused_to(_("no public version has this id.")), None
        if after.pk == before.pk:
            return _refused_to(_("choose a different version from the one in the path.")), None
        policies = policy_records_of([before, after], request.user)
        if policies[before.path] != policies[after.path]:
            return _refused_to(_("this version is of another policy.")), None
        old, new = compared(before, after, translation.get_language(), request.user)
        body = {
            "from": {"id": before.pk, "number": old.number, "title": old.title},
            "to": {"id": after.pk, "number": new.number, "title": new.title},
            "language": new.locale.language_code,
            "sections": [
                {
                    "anchor": section.anchor,
                    "heading": section.heading,
                    "previous_heading": section.previous_heading,
                    "change": section.change,
                    "runs": [{"change": run.change, "text": run.text} for run in section.runs],
                }
                for section in diff_versions(old, new)
            ],
        }
        return body, None
