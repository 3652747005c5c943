"""The subscription pages: following (one click with an account, an address and a
cadence without), "check your inbox", confirming an address (a page with a button: link
pre-fetchers only GET), managing follows by the signed link of every e-mail or from the
account, and the one-click unsubscribe (RFC 8058).

Every answer to a subscription is the same whether the address was known or not, and
an address is shown only on its owner's manage page (reached by its signed link or by
its account). POSTs that follow, confirm or manage are rate-limited per client address
(`RATELIMIT_SUBSCRIPTIONS`); the one-click unsubscribe is not: mail providers send it
from a few shared addresses, and its token cannot be guessed.
"""

from contextlib import suppress
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from concertation.ratelimits import retry_after

from . import services
from .forms import SettingsForm, SubscribeForm
from .models import Follow, Subscriber
from .subscription_mail import send_confirmation
from .tokens import BadToken, confirm_hours, make_token, read_token

# What the manage page says after each of its actions (`?done=`).
DONE = {
    "confirmed": lambda: _("Your address is confirmed: you will be told of what you follow."),
    "saved": lambda: _("Your settings are saved."),
    "unfollowed": lambda: _("You no longer follow it."),
    "unsubscribed": lambda: _("You will receive no more e-mails. Your follows are kept."),
    "resumed": lambda: _("You will receive e-mails again."),
}


def _limited(request: HttpRequest) -> HttpResponse | None:
    """The 429 page once the client address has made too many subscription requests."""
    limit, wait = retry_after(request, "subscriptions")
    if wait is None:
        return None
    response = render(
        request,
        "follows/too_many.html",
        {"wait": wait, "requests": limit.requests, "seconds": limit.seconds},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _back(request: HttpRequest, value: str) -> str:
    """`value` when it is an address on this site, else ""."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _refused(request: HttpRequest, message: str, *, status: int, back: str = "") -> HttpResponse:
    return render(
        request, "follows/refused.html", {"message": message, "back": back}, status=status
    )


def _bad_link(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "follows/bad_link.html", {"message": message}, status=400)


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """GET: what would be followed, and the form (an address and a cadence) or, signed
    in, the button. POST: follow. `target` is a record or listing key, or "search" with
    `query`; `next` the page to go back to."""
    if request.method == "POST" and (limited := _limited(request)):
        return limited
    data = request.POST if request.method == "POST" else request.GET
    user = request.user if request.user.is_authenticated else None
    target_key, query = data.get("target", "")[:200], data.get("query", "")[:4000]
    back = _back(request, data.get("next", ""))
    try:
        target = services.resolve(user, target_key, query)
    except services.NotFollowable as error:
        return _refused(request, error.message, status=404, back=back)
    except services.FollowError as error:
        return _refused(request, error.message, status=400, back=back)

    if user is not None:
        if request.method == "POST":
            try:
                services.follow_with_account(user, target, language=get_language())
            except services.FollowError as error:
                return _refused(request, error.message, status=400, back=back)
            return redirect(back or reverse("follows_account"))
        following = Follow.objects.filter(subscriber__user=user, target=target.target).exists()
        context = {"target": target, "target_key": target_key, "query": query, "back": back}
        return render(request, "follows/follow.html", {**context, "following": following})

    form = SubscribeForm(
        request.POST if request.method == "POST" else None,
        initial={"target": target_key, "query": query, "next": back},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                subscribed = services.subscribe(
                    form.cleaned_data["email"],
                    target,
                    cadence=form.cleaned_data["cadence"],
                    language=get_language(),
                )
                if subscribed.needs_confirmation:
                    send_confirmation(subscribed.subscriber)
        except services.FollowError as error:
            field = error.field if error.field in ("email", "cadence") else None
            form.add_error(field, error.message)
        else:
            inbox = reverse("follows_check_inbox")
            return redirect(inbox + ("?" + urlencode({"next": back}) if back else ""))
    return render(
        request,
        "follows/subscribe.html",
        {"form": form, "target": target, "back": back},
        status=400 if form.errors else 200,
    )


@require_POST
def unfollow(request: HttpRequest) -> HttpResponse:
    """A signed-in reader stops following `target` (the button of the follow control)."""
    back = _back(request, request.POST.get("next", ""))
    if not request.user.is_authenticated:
        return redirect(reverse("contributor_sign_in") + "?" + urlencode({"next": back or "/"}))
    target = request.POST.get("target", "")[:200]
    with suppress(services.FollowError):
        # A page's key becomes its record's, as when it was followed.
        target = services.resolve(request.user, target).target
    subscriber = Subscriber.objects.filter(user=request.user).first()
    if subscriber is not None:
        services.unfollow_target(subscriber, target)
    return redirect(back or reverse("follows_account"))


def check_inbox(request: HttpRequest) -> HttpResponse:
    """The same answer to every subscription, whether the address was known or not."""
    back = _back(request, request.GET.get("next", ""))
    return render(
        request, "follows/check_inbox.html", {"back": back, "confirm_hours": confirm_hours()}
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with a button (a link pre-fetcher must not confirm). POST: confirm,
    then the manage page. A link expired, forged, revoked or already used: a 400 page
    saying what to do, nothing changed."""
    if request.method == "POST" and (limited := _limited(request)):
        return limited
    try:
        subscriber = read_token(token, "confirm")
    except BadToken as error:
        return _bad_link(request, str(error))
    if subscriber.is_receiving:
        return _bad_link(
            request,
            _(
                "This link was already used: the address is confirmed. To change what you "
                "follow, use the link at the bottom of any of our e-mails."
            ),
        )
    if request.method == "POST":
        services.confirm(subscriber)
        manage = reverse("follows_manage", kwargs={"token": make_token(subscriber, "manage")})
        return redirect(manage + "?done=confirmed")
    return render(request, "follows/confirm.html", {})


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """A reader's follows and settings, reached by the signed link of every e-mail."""
    try:
        subscriber = read_token(token, "manage")
    except BadToken as error:
        return _bad_link(request, str(error))
    return _manage(request, subscriber, account=False)


@login_required(login_url=reverse_lazy("contributor_sign_in"))
@require_http_methods(["GET", "POST"])
def account_follows(request: HttpRequest) -> HttpResponse:
    """The signed-in reader's follows and settings."""
    subscriber = Subscriber.objects.filter(user=request.user).first()
    return _manage(request, subscriber, account=True)


def _manage(request: HttpRequest, subscriber: Subscriber | None, *, account: bool) -> HttpResponse:
    form = None
    if request.method == "POST":
        if limited := _limited(request):
            return limited
        if subscriber is None:
            return redirect(request.path)
        action = request.POST.get("action", "")
        if action == "unfollow":
            follow = request.POST.get("follow", "")
            if not follow.isdigit() or len(follow) > 18:
                return _refused(request, _("follow: choose something you follow."), status=400)
            services.unfollow(subscriber, follow)
            done = "unfollowed"
        elif action == "unsubscribe":
            services.unsubscribe_all(subscriber)
            done = "unsubscribed"
        elif action == "resume":
            services.resume(subscriber)
            done = "resumed"
        elif action == "settings":
            form = SettingsForm(request.POST)
            done = "saved" if form.is_valid() else ""
            if done:
                services.change_settings(subscriber, **form.cleaned_data)
        else:
            return _refused(
                request, _("action: this is not something the page can do."), status=400
            )
        if done:
            return redirect(request.path + "?done=" + done)
    if subscriber is not None and form is None:
        form = SettingsForm(
            initial={"cadence": subscriber.cadence, "language": subscriber.language}
        )
    done = DONE.get(request.GET.get("done", ""))
    context = {
        "subscriber": subscriber,
        "follows": list(subscriber.follows.order_by("label", "pk")) if subscriber else [],
        "form": form,
        "account": account,
        "done": done() if done else "",
    }
    return render(
        request, "follows/manage.html", context, status=400 if form and form.errors else 200
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The one-click unsubscribe of every e-mail's `List-Unsubscribe` header. POST (a
    mail client's `List-Unsubscribe=One-Click`, or the page's button) stops every e-mail
    and is idempotent; GET only shows the button. Exempt from CSRF: the signed token is
    what authenticates, and mail clients send no cookie."""
    try:
        subscriber = read_token(token, "unsubscribe")
    except BadToken as error:
        return _bad_link(request, str(error))
    manage_path = reverse("follows_manage", kwargs={"token": make_token(subscriber, "manage")})
    if request.method == "POST":
        services.unsubscribe_all(subscriber)
        return render(request, "follows/unsubscribed.html", {"manage_path": manage_path})
    return render(
        request,
        "follows/unsubscribe.html",
        {"already": subscriber.unsubscribed_at is not None, "manage_path": manage_path},
    )
