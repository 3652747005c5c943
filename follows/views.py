"""The subscription pages: following, confirming an address, managing follows and the
one-click unsubscribe (filled in step by step; see docs/follow.md)."""

from django.http import Http404, HttpRequest, HttpResponse


def _not_yet(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    raise Http404


follow = unfollow = check_inbox = confirm = manage = unsubscribe = account_follows = _not_yet
