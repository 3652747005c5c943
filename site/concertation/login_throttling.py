"""Login throttling: which logins are locked out, who may unlock them, and the page a
locked-out login gets.

django-axes does the counting: each wrong password for an account from an address is
recorded (`axes.AccessAttempt`), and once `AXES_FAILURE_LIMIT` are recorded within
`AXES_COOLOFF_TIME` that account is refused from that address, right password included,
until the cool-off has passed since the last failure. Another address, or another
account from the same address, is not affected: an attacker guessing one account cannot
lock its owner out everywhere. Staff holding `axes.delete_accessattempt` (superusers
included) see the locked-out logins in the admin and unlock them before the cool-off ends.
"""

import datetime
from dataclasses import dataclass

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .ratelimits import client_address

UNLOCK_PERMISSION = "axes.delete_accessattempt"


@dataclass(frozen=True)
class LockedLogin:
    """An account locked out from an address, and when it unlocks by itself."""

    username: str
    ip_address: str
    failures: int
    last_failure: datetime.datetime
    unlocks_at: datetime.datetime


def may_unlock_logins(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Superusers, and staff given the permission to clear login failures."""
    return user.is_active and user.has_perm(UNLOCK_PERMISSION)


def locked_logins() -> list[LockedLogin]:
    """The (account, address) pairs refused now, the most recent failure first."""
    cool_off = get_cool_off()
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_failure=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_failure")
    )
    return [LockedLogin(**row, unlocks_at=row["last_failure"] + cool_off) for row in rows]


def unlock_login(username: str, ip_address: str) -> int:
    """Forget the failures of `username` from `ip_address`: it may log in again at once.
    Returns how many attempt records were cleared (0: it was not locked)."""
    return reset(username=username, ip=ip_address)


def login_address(request: HttpRequest) -> str | None:
    """The address a login comes from (`AXES_CLIENT_IP_CALLABLE`), counted as the rate
    limits count requests (`TRUSTED_PROXY_COUNT`). Logins and logouts made in code rather
    than over HTTP (the test client's `force_login`, a shell) carry no address: none."""
    if not request.META.get("REMOTE_ADDR"):
        return None
    return client_address(request)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page a locked-out login gets (`AXES_LOCKOUT_CALLABLE`): 429, what happened and
    when it may try again, in the visitor's language; on the public site's look for the
    contributor sign-in (`concertation.contributors`), on the admin's otherwise."""
    cool_off = get_cool_off(request)
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": get_failure_limit(request, credentials),
        "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    match = request.resolver_match
    template = (
        "concertation/contributor_lockout.html"
        if match is not None and match.url_name == "contributor_sign_in"
        else "concertation/lockout.html"
    )
    return render(request, template, context, status=429)
