"""Rate limits on the public endpoints that cost the most or could be abused: the search
API, the exports and the e-mail subscriptions (`RATELIMIT_SUBSCRIPTIONS`, whose pages
answer with a page of their own through `retry_after`).

A client address may make so many requests to a group of endpoints in a window (the
settings `RATELIMIT_SEARCH_API` and `RATELIMIT_EXPORTS`, such as `60/m`); past that it is
answered 429 with `Retry-After`, the seconds until its window ends, and a JSON body that
names the limit. django-ratelimit counts the requests in the default cache, so every
worker process shares the counts once that cache is shared. Pages for people (the search
page, the dashboards) are not limited: the limits guard against scripts, not readers.

The client address is `REMOTE_ADDR`, unless `TRUSTED_PROXY_COUNT` says how many reverse
proxies of ours stand in front of the application: then it is the address the outermost
of them saw, read from the right of `X-Forwarded-For`, where a client cannot forge it.
"""

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

# Group of endpoints → the setting holding its rate.
LIMITS = {
    "search-api": "RATELIMIT_SEARCH_API",
    "exports": "RATELIMIT_EXPORTS",
    # Following, confirming and unsubscribing (follows.views): their POSTs together.
    "subscriptions": "RATELIMIT_SUBSCRIPTIONS",
    # The open-data API /api/v1/ (opendata.views): its resources and description.
    "open-data": "RATELIMIT_OPEN_DATA",
}

RATE = re.compile(r"(?P<requests>[0-9]+)/(?P<multiple>[0-9]*)(?P<unit>[smhd])")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    """At most `requests` requests in `seconds` seconds."""

    requests: int
    seconds: int

    @classmethod
    def parse(cls, text: str, setting: str = "rate") -> "Rate":
        match = RATE.fullmatch(text.strip())
        if not match or int(match["requests"]) < 1 or match["multiple"] == "0":
            raise ImproperlyConfigured(
                f"{setting} must be requests/period, such as 60/m or 100/5m (s, m, h or d); "
                f"got {text!r}."
            )
        multiple = int(match["multiple"] or 1)
        return cls(int(match["requests"]), multiple * UNIT_SECONDS[match["unit"]])

    def __str__(self) -> str:
        return f"{self.requests}/{self.seconds}s"


def client_address(request: HttpRequest) -> str:
    """The address requests are counted against (django-ratelimit's
    `RATELIMIT_IP_META_KEY`): `REMOTE_ADDR`, or behind `TRUSTED_PROXY_COUNT` proxies the
    address the outermost one saw. Entries left of it were written by the client and are
    never trusted; a header too short or malformed falls back to `REMOTE_ADDR`.

    Without any address (a proxy on a Unix socket and no `TRUSTED_PROXY_COUNT`), requests
    cannot be told apart: that is a deployment error, said at the first request, rather
    than one count shared by every visitor or no limit at all."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= proxies and (address := _address(forwarded[-proxies])):
            return address
    remote = request.META.get("REMOTE_ADDR", "")
    if not (address := _address(remote)):
        raise ImproperlyConfigured(
            f"REMOTE_ADDR is {remote!r}, not an address to count requests against: behind "
            "a reverse proxy, set TRUSTED_PROXY_COUNT (see the README)."
        )
    return address


def _address(text: str) -> str:
    """`text` as a canonical IP address, or "" when it is none."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return ""


def rate(group: str) -> Rate:
    setting = LIMITS[group]
    return Rate.parse(getattr(settings, setting), setting)


def check_rates(**kwargs) -> list[checks.CheckMessage]:
    """A system check (registered by the app): a malformed rate in the environment is
    said by `manage.py check` and at start-up, not as a 500 on the first export."""
    errors = []
    for group, setting in LIMITS.items():
        try:
            rate(group)
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), id="concertation.E001", obj=setting))
    return errors


def too_many_requests(limit: Rate, retry_after: int, *, per_token: bool = False) -> JsonResponse:
    """The 429 answer: the search API's error shape, with the limit and the wait; the
    message says what is counted (the client's address, or its API token)."""
    if per_token:
        message = ngettext(
            "Too many requests with this API token: at most %(requests)d in %(seconds)d "
            "seconds. Try again in %(retry)d second.",
            "Too many requests with this API token: at most %(requests)d in %(seconds)d "
            "seconds. Try again in %(retry)d seconds.",
            retry_after,
        )
    else:
        message = ngettext(
            "Too many requests from this address: at most %(requests)d in %(seconds)d "
            "seconds. Try again in %(retry)d second.",
            "Too many requests from this address: at most %(requests)d in %(seconds)d "
            "seconds. Try again in %(retry)d seconds.",
            retry_after,
        )
    message %= {"requests": limit.requests, "seconds": limit.seconds, "retry": retry_after}
    response = JsonResponse(
        {
            "error": {
                "parameter": None,
                "message": message,
                "limit": {"requests": limit.requests, "seconds": limit.seconds},
                "retry_after": retry_after,
            }
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def retry_after(request: HttpRequest, group: str) -> tuple[Rate, int | None]:
    """Count `request` against its client address in `group`: the group's rate, and the
    seconds to wait when it is exceeded (None: within the rate). For views that answer
    a person with a page of their own rather than `too_many_requests`' JSON."""
    limit = rate(group)
    usage = get_usage(
        request, group=group, key="ip", rate=(limit.requests, limit.seconds), increment=True
    )
    if usage and usage["should_limit"]:
        # A window ending this very second still means "wait": at least 1.
        return limit, max(1, usage["time_left"])
    return limit, None


def rate_limited(
    group: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Count each request to the view against its client address in `group` (endpoints
    of a group share one count), and answer 429 once the group's rate is exceeded."""
    if group not in LIMITS:
        raise ValueError(f"unknown rate-limit group {group!r}; expected one of {list(LIMITS)}")

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            limit, wait = retry_after(request, group)
            if wait is not None:
                return too_many_requests(limit, wait)
            return view(request, *args, **kwargs)

        return limited

    return decorator
