"""The endpoints of `/api/v1/`, the same for every registered resource: a list and one
record, each a DRF view (so drf-spectacular describes it) answering its own JSON, with
the conventions of docs/api.md — unknown parameters refused, cursor pages, `fields=`,
the language, `ETag`/`Last-Modified`, the `open-data` rate limit."""

from datetime import datetime
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_ratelimit.core import get_usage
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from concertation.parameters import refuses_parameters
from concertation.ratelimits import rate, retry_after, too_many_requests
from search.api import AnswersJson
from search.openapi import RETRY_AFTER, FormParametersSchema, rate_limited_answer, refused
from search.serializers import ErrorSerializer

from .http import accepted_language, conditional, in_language
from .openapi import openapi_description
from .pagination import cursor_page, page_link
from .parameters import (
    LANGUAGES,
    DetailParameters,
    ListParameters,
    parameters_form,
    read_api_parameters,
)
from .resources import Caller, Resource, registry
from .serializers import page_serializer
from .tokens import HEADER, BearerToken, Refused, refusal, token_of

GROUP = "open-data"

ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    type=str,
    location=OpenApiParameter.HEADER,
    description="`fr` or `en` (English by default); `lang=` wins over it.",
)
REFUSED_TOKEN = OpenApiResponse(
    ErrorSerializer,
    description="A malformed, unknown or revoked API token: the error names `Authorization`.",
)
NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the client's `If-None-Match` (or `If-Modified-Since`) "
    "still holds. No body."
)


def json_answer(body: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def over_limit(request: HttpRequest, token: Any) -> HttpResponse | None:
    """The 429 when the request exceeds the `open-data` rate, else None. A token's
    requests count against the token (its holder may share an address with others, or
    use several), anonymous ones against the client address (`concertation.ratelimits`)."""
    if token is None:
        limit, wait = retry_after(request, GROUP)
    else:
        limit = rate(GROUP)
        usage = get_usage(
            request,
            group=GROUP,
            key=lambda _group, _request: f"api-token:{token.pk}",
            rate=(limit.requests, limit.seconds),
            increment=True,
        )
        wait = max(1, usage["time_left"]) if usage and usage["should_limit"] else None
    return None if wait is None else too_many_requests(limit, wait, per_token=token is not None)


def for_whom(response: HttpResponseBase, request: HttpRequest) -> HttpResponseBase:
    """Every answer varies with `Authorization` (a shared cache keys on it); one given to
    a token — or refusing one — is for that caller alone (`Cache-Control: private`)."""
    patch_vary_headers(response, [HEADER])
    if "HTTP_AUTHORIZATION" in request.META:
        patch_cache_control(response, private=True)
    return response


def with_caller(form_class: type[forms.Form], caller: Caller) -> type[forms.Form]:
    """`form_class` whose fields may ask what `caller` sees (`self.caller`: a filter
    naming a record the caller may not see is refused as if it did not exist)."""
    bound = type(form_class.__name__, (form_class,), {"caller": caller})
    # The metaclass rebuilds `base_fields` from the declarations; keep the endpoint's own.
    bound.base_fields = form_class.base_fields
    return bound


class OpenDataView(APIView):
    """A read-only endpoint of one resource: the caller is anonymous (the public record)
    or the user an API token stands for (`opendata.tokens`), never a session; no DRF
    throttling (the site's rate limits), JSON whatever `Accept` says, GET and HEAD."""

    authentication_classes = [BearerToken]
    permission_classes = [AllowAny]
    throttle_classes: list = []
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AnswersJson
    http_method_names = ["get", "head"]
    schema = FormParametersSchema()
    resource: Resource
    parameters_form: type

    @classmethod
    def as_view(cls, **initkwargs: Any):
        """Other methods refused before DRF runs (Django's empty 405); OPTIONS is the
        CORS middleware's (`opendata.http.ReadsFromAnyOrigin`)."""
        return require_safe(super().as_view(**initkwargs))

    @property
    def default_response_headers(self) -> dict[str, str]:
        return {}

    def handle_exception(self, exc: Exception) -> HttpResponseBase:
        if isinstance(exc, AuthenticationFailed):
            return refusal(exc)
        return super().handle_exception(exc)

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        return for_whom(response, request._request)

    def get(self, request: Request, **kwargs: Any) -> HttpResponseBase:
        if limited := over_limit(request, request.auth):
            return limited
        language = request.GET.get("lang", "")
        if language not in LANGUAGES:
            language = accepted_language(request)
        with translation.override(language):
            response = self.respond(request, **kwargs)
        return in_language(response, language)

    @method_decorator(refuses_parameters())
    def respond(self, request: Request, **kwargs: Any) -> HttpResponseBase:
        form_class = self.parameters_form
        if request.auth is not None:
            form_class = with_caller(form_class, request.user)
        parameters = read_api_parameters(form_class, request.GET)
        body, last_modified = self.answer(request, parameters, **kwargs)
        if isinstance(body, HttpResponse):
            return body
        caller = f"user:{request.user.pk}" if request.auth is not None else ""
        return conditional(request, json_answer(body), last_modified, caller)

    def answer(
        self, request: Request, parameters: dict[str, Any], **kwargs: Any
    ) -> tuple[Any, datetime | None]:
        raise NotImplementedError

    def represent(self, request: Request, records: list, fields: tuple[str, ...]) -> list[dict]:
        data = self.resource.serializer(records, many=True, context={"request": request}).data
        if not fields:
            return [dict(item) for item in data]
        return [{name: item[name] for name in fields} for item in data]

    def last_modified(self, records: list) -> datetime | None:
        field = self.resource.updated_field
        stamps = [getattr(record, field) for record in records] if field else []
        return max(stamps, default=None)


class ResourceList(OpenDataView):
    def answer(
        self, request: Request, parameters: dict[str, Any], **kwargs: Any
    ) -> tuple[Any, datetime | None]:
        records = self.resource.filters.filter(self.resource.records(request.user), parameters)
        page = cursor_page(records, parameters["cursor"], parameters["page_size"])
        body = {
            "results": self.represent(request, page.records, parameters["fields"]),
            "next": page_link(request, page.next),
            "previous": page_link(request, page.previous),
        }
        return body, self.last_modified(page.records)


class ResourceDetail(OpenDataView):
    def answer(
        self, request: Request, parameters: dict[str, Any], **kwargs: Any
    ) -> tuple[Any, datetime | None]:
        records = list(self.resource.records(request.user).filter(pk=kwargs["id"]))
        if not records:
            return json_answer(
                {"error": {"parameter": "id", "message": _("No record has this id.")}}, 404
            ), None
        return self.represent(request, records, parameters["fields"])[0], self.last_modified(
            records
        )


def resource_views(resource: Resource) -> tuple[type[OpenDataView], type[OpenDataView]]:
    """The list and detail views of `resource`, described for the OpenAPI document."""
    names = resource.field_names
    title = resource.name.title().replace("-", "")
    common = {"resource": resource}
    listing = type(
        f"{title}List",
        (ResourceList,),
        {**common, "parameters_form": parameters_form(ListParameters, resource.filters, names)},
    )
    detail = type(
        f"{title}Detail",
        (ResourceDetail,),
        {**common, "parameters_form": parameters_form(DetailParameters, None, names)},
    )
    answers = {
        304: NOT_MODIFIED,
        401: REFUSED_TOKEN,
        429: rate_limited_answer(GROUP),
    }
    listing = extend_schema_view(
        get=extend_schema(
            operation_id=f"list{title}",
            summary=f"{resource.summary}: a page",
            parameters=[ACCEPT_LANGUAGE, RETRY_AFTER],
            responses={
                200: OpenApiResponse(
                    page_serializer(resource.serializer),
                    description="One page, in the order of the records' ids.",
                ),
                400: refused("an unknown parameter", "a cursor not made by this API"),
                **answers,
            },
        )
    )(listing)
    detail = extend_schema_view(
        get=extend_schema(
            operation_id=f"get{title}",
            summary=f"{resource.summary}: one record",
            parameters=[
                OpenApiParameter("id", int, OpenApiParameter.PATH, description="The record's id."),
                ACCEPT_LANGUAGE,
                RETRY_AFTER,
            ],
            responses={
                200: OpenApiResponse(resource.serializer, description="The record."),
                400: refused("an unknown parameter"),
                404: OpenApiResponse(ErrorSerializer, description="No public record has this id."),
                **answers,
            },
        )
    )(detail)
    return listing, detail


@require_safe
def openapi_json(request: HttpRequest) -> HttpResponseBase:
    """The description, the same for every caller; a token is still checked, so a
    refused one is a 401 here as on every endpoint, and counted as on them."""
    try:
        token = token_of(request)
    except Refused as error:
        return for_whom(refusal(error), request)
    answer = over_limit(request, token) or json_answer(openapi_description())
    return for_whom(answer, request)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The browsable documentation: each resource with its parameters, fields and
    examples, from the same definitions as the description. A page for people: in the
    language `lang=` or `Accept-Language` asks for."""
    language = request.GET.get("lang", "")
    if language not in LANGUAGES:
        language = accepted_language(request)
    with translation.override(language):
        resources = [
            {
                "name": resource.name,
                "summary": resource.summary,
                "parameters": [
                    {"name": name, "help": field.help_text}
                    for name, field in parameters_form(
                        ListParameters, resource.filters, resource.field_names
                    ).base_fields.items()
                ],
                "fields": resource.field_names,
                "example_fields": ",".join(resource.field_names[:3]),
            }
            for resource in registry
        ]
        response = render(
            request,
            "opendata/index.html",
            {
                "resources": resources,
                "base": request.build_absolute_uri("/api/v1/"),
                # The language switcher links to `?lang=`: the page is outside /fr/.
                "language_from_query": True,
            },
        )
    return in_language(response, language)
