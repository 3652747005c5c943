"""Query-string parameters read through Django forms, and the one 400 that refuses them.

Project rule: bad input gets a clear error naming the field, never a 500. A page or an
API declares its parameters as a form (fields for the values, `clean()` for the rules
between them), reads them with `read_parameters`, and lets the `refuses_parameters`
decorator answer `InvalidParameters`, so that no view catches parameter errors itself
and every refusal names the parameter the same way::

    class ListingParameters(forms.Form):
        region = forms.CharField(required=False, max_length=20)
        page = forms.IntegerField(required=False, min_value=1)

    @refuses_parameters(template="fora/listing.html")
    def listing(request):
        parameters = read_parameters(ListingParameters, request.GET)
        ...

Only a form's fields are read: any other parameter in the query string is ignored.
Fields for parameters given once (a choice, a code, a page number) are in
`concertation.parameter_fields`. `ParameterError` is the older, hand-written way (one
parameter, one message), kept as `InvalidParameters`' base: the decorator answers both.
A CSV export answers in plain text (`refuses_parameters(as_text=True)`).
"""

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class ParameterError(ValueError):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


class InvalidParameters(ParameterError):
    """The parameters a form refused: parameter name → its messages, in the form's
    field order. `parameter` and `message` are the first of them (what a page shows
    and what the API's error shape carries)."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = {
            name: [str(message) for message in messages] for name, messages in errors.items()
        }
        parameter, messages = next(iter(self.errors.items()))
        super().__init__(parameter, messages[0])

    @classmethod
    def of(cls, parameter: str, message: str) -> "InvalidParameters":
        """One parameter refused outside a form (a rule only the data can decide)."""
        return cls({parameter: [message]})


def read_parameters(
    form_class: type[forms.Form], params: Mapping[str, Any], **kwargs: Any
) -> dict[str, Any]:
    """The form's cleaned data for `params` (a `QueryDict`); raises `InvalidParameters`
    naming every refused parameter."""
    form = form_class(params, **kwargs)
    if form.is_valid():
        return form.cleaned_data
    order = [name for name in form.fields if name in form.errors]
    order += [name for name in form.errors if name not in order]
    raise InvalidParameters({name: form.errors[name] for name in order})


# What a page shows besides the refusal: called with the view's own arguments.
ContextOf = Callable[..., dict[str, Any]]


def refusal(
    request: HttpRequest,
    error: ParameterError,
    template: str | None,
    page_context: dict[str, Any],
    as_text: bool = False,
) -> HttpResponse:
    """The 400 for refused parameters: the page's own template with `error` (naming the
    parameter and its message) when there is one; one plain-text sentence naming them
    for a file download (`as_text`: what a spreadsheet or a script shows as is); else the
    API's JSON error shape `{"error": {"parameter": …, "message": …}}`."""
    if as_text:
        message = _("The parameter “%(parameter)s” is not valid: %(message)s") % {
            "parameter": error.parameter,
            "message": error.message,
        }
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    if template is None:
        return JsonResponse(
            {"error": {"parameter": error.parameter, "message": str(error.message)}}, status=400
        )
    return render(request, template, {**page_context, "error": error}, status=400)


def refuses_parameters(
    template: str | None = None, context: ContextOf | None = None, *, as_text: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Answer the view's `ParameterError` (`InvalidParameters` among them) with a 400:
    rendered in `template` with `context(request, *view arguments)` plus `error`, as
    plain text with `as_text` (an export), or as JSON when neither is given (an API)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def refusing(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except ParameterError as error:
                page_context = context(request, *args, **kwargs) if context else {}
                return refusal(request, error, template, page_context, as_text)

        return refusing

    return decorator
