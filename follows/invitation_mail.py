"""The invitation and reminder e-mails of a round (`follows.invitations` queues them):
the round, the policy version consulted, what is asked, the deadline in the reader's
language and the absolute link to submit a brief.

Rendered at sending time, in `delivery.language`, from the round's page in that
language when it is published (else the round's record), after asking again whether the
e-mail is still due (`follows.invitations.still_due`): a round closed, unpublished or
abandoned, an account deactivated or an editor removed since the pass, and it is not
sent.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.models import Locale

from consultations.models import ConsultationRoundPage
from consultations.round_listings import round_entry
from organizations.permissions import organizations_edited_by

from .invitations import invited_organizations, still_due
from .mail import Rendered, Withheld, renderer
from .models import Delivery, DeliveryKind


def absolute(path: str) -> str:
    """An address on the site's public base (`WAGTAILADMIN_BASE_URL`), unless it is
    absolute already (a page on another site of the installation)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _page_in(record: ConsultationRoundPage, language: str) -> ConsultationRoundPage:
    """The round's published page in `language`, else its record."""
    translated = (
        ConsultationRoundPage.objects.live()
        .filter(translation_key=record.translation_key, locale__language_code=language)
        .first()
    )
    return translated or record


def context_for(delivery: Delivery) -> dict:
    """What both e-mails say, read in the active language."""
    record = delivery.round
    page = _page_in(record, delivery.language)
    locale = Locale.objects.filter(language_code=delivery.language).first() or page.locale
    entry = round_entry(page, locale)
    invited = invited_organizations([record]).get(record.pk, set())
    organizations = list(
        organizations_edited_by(delivery.user).filter(pk__in=invited).order_by("name")
    )
    page_url = absolute(page.get_url())
    return {
        "round": page,
        "policy": entry.policy,
        "version": entry.version,
        "version_url": absolute(entry.version.get_url()) if entry.version else "",
        "asked": entry.asked,
        "description": page.description,
        # The record's dates are the round's (a brief sent from any page is checked
        # against them), whatever a translation's page says.
        "deadline": date_format(record.closes_on),
        "days_left": record.days_left(),
        "organizations": [organization.name for organization in organizations],
        "round_url": page_url,
        "submit_url": page_url.rstrip("/") + "/" + page.reverse_subpage("submit"),
        "user": delivery.user,
        "language": delivery.language,
    }


def _render(delivery: Delivery, template: str, subject: str) -> Rendered:
    if not still_due(delivery, timezone.localdate()):
        raise Withheld(
            "not sent: the round no longer takes briefs, or the account is inactive or no "
            "longer edits an organization invited to it"
        )
    with translation.override(delivery.language):
        context = context_for(delivery)
        context["subject"] = _(subject) % {
            "round": context["round"].title,
            "deadline": context["deadline"],
        }
        return Rendered(
            subject=context["subject"],
            text=render_to_string(f"follows/email/{template}.txt", context),
            html=render_to_string(f"follows/email/{template}.html", context),
        )


@renderer(DeliveryKind.INVITATION)
def render_invitation(delivery: Delivery) -> Rendered:
    # Translators: the subject of a round's invitation e-mail.
    return _render(
        delivery, "invitation", gettext_noop("You are invited: %(round)s (until %(deadline)s)")
    )


@renderer(DeliveryKind.REMINDER)
def render_reminder(delivery: Delivery) -> Rendered:
    # Translators: the subject of the reminder sent a few days before a round's deadline.
    return _render(delivery, "reminder", gettext_noop("Reminder: %(round)s closes on %(deadline)s"))
