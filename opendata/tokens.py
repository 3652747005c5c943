"""API tokens on `/api/v1/`: `Authorization: Bearer <token>` reads the API as the token's
user sees the site.

The tokens are Wagtail's own (`wagtail.models.APIToken`, Wagtail 8): created by staff in
the admin ("Settings" › "API tokens", registered by `opendata.wagtail_hooks`) or with
`manage.py api_tokens create --user NAME --name WHAT`, the secret shown once; only a
keyed digest of it is stored (HMAC-SHA-256 under `SECRET_KEY`, `SECRET_KEY_FALLBACKS`
honoured), with who created and revoked it in the admin's log. Wagtail's own reader of
the header is for django-ninja; this is the same reading for DRF's views.

A header that is not a well-formed Wagtail token, an unknown or revoked token, or the
token of a deactivated user is refused with a 401 naming `Authorization` — never read
as anonymous, so a script with a broken token learns it at once instead of silently
receiving less.
"""

from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from wagtail.models import APIToken

# `last_used_at` is written at most this often per token (Wagtail's own interval): a
# script's every call must not be a write.
USE_RECORDED_EVERY = timedelta(seconds=60)
HEADER = "Authorization"
CHALLENGE = 'Bearer realm="api"'


class Refused(AuthenticationFailed):
    """A bearer token refused: answered 401 naming `Authorization`."""


def token_of(request: HttpRequest) -> APIToken | None:
    """The usable token `request` carries, None when it carries no `Authorization`
    header; raises `Refused` for any other header (malformed, unknown, revoked, a
    deactivated user's). Records the use at most once a minute, in one conditional
    update (concurrent requests write it once)."""
    header = request.META.get("HTTP_AUTHORIZATION")
    if header is None:
        return None
    scheme, _space, secret = header.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not APIToken.validate_token_format(secret):
        raise Refused(_("expected “Bearer ” and a token of this site (wagtail_…)."))
    token = (
        APIToken.objects.filter(
            key_hash__in=APIToken.candidate_key_hashes(secret), revoked_at__isnull=True
        )
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        raise Refused(_("this token is unknown or revoked."))
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= USE_RECORDED_EVERY:
        APIToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - USE_RECORDED_EVERY),
            pk=token.pk,
        ).update(last_used_at=now)
    return token


class BearerToken(BaseAuthentication):
    """`Authorization: Bearer <token>`: the token's user, or anonymous without the header.
    No session: the API reads no cookie (its CORS answers `*`)."""

    def authenticate(self, request) -> tuple[AbstractBaseUser, APIToken] | None:
        token = token_of(request._request)
        if token is None:
            return None
        return token.user, token

    def authenticate_header(self, request) -> str:
        return CHALLENGE


def refusal(error: AuthenticationFailed) -> JsonResponse:
    """The 401 of a refused token, in the API's error shape."""
    response = JsonResponse(
        {"error": {"parameter": HEADER, "message": str(error.detail)}},
        status=401,
        json_dumps_params={"ensure_ascii": False},
    )
    response["WWW-Authenticate"] = CHALLENGE
    return response


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """`BearerToken` in the OpenAPI description: an HTTP bearer scheme, optional (every
    operation also lists the empty requirement: anonymous callers read the public record)."""

    target_class = BearerToken
    name = "apiToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token created by staff for a user (`wagtail_…`): the "
            "answers are what that user sees on the site. A malformed, unknown or revoked "
            "token: 401 naming `Authorization`.",
        }
