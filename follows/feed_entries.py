"""What each Atom feed lists: the public records of a listing, newest first, as entries.

Every function reads at most `FEED_SIZE` records in a fixed number of queries, whatever
their number, and only what anyone may read: live pages outside any view restriction
(Wagtail's `public()`, the archive search's rule for pages), released versions (never an
internal one), published allocations (never a draft or an approved one), and none of an
allocation's "detailed records" (notes, dates) that the funding pages keep to its
editors and finance staff.

Pages are given in the active language: its translation when there is one, else the
page as recorded (its address then put in the active language, where the site shows it
with a notice). Catalogue records (organizations, fora, allocations) have one address,
put in the active language by `reverse`.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from concertation.formats import money
from consultations.fora.models import Meeting, SeatTerm
from consultations.models import (
    ConsultationRoundPage,
    PolicyVersionPage,
    PositionPage,
    RoundState,
)
from consultations.round_listings import RoundEntry, latest_reports, rounds_open_now
from organizations.funding.models import Allocation, fiscal_year_label
from organizations.models import Organization
from search.service import localize_url

# Entries in a feed: feed readers poll often, and only the newest matter.
FEED_SIZE = 50
SUMMARY_WORDS = 60


@dataclass(frozen=True)
class Entry:
    """One entry of a feed, built before the feed is written (no query per entry)."""

    # The record's subject key, as follows' notices name it (`policy_version:41`): the
    # entry's id is built from it, so it never changes with the title or the address.
    key: str
    title: str
    # Site-relative in the feed's language (the syndication framework adds the host).
    link: str
    summary: str
    updated: datetime.datetime
    published: datetime.datetime | None = None


def moment(value: datetime.date | datetime.datetime | None) -> datetime.datetime | None:
    """A date as the start of that day in the site's time zone; a datetime as is."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time()))


def summary_of(text: str) -> str:
    return Truncator(strip_tags(text or "")).words(SUMMARY_WORDS)


def in_language(pages: QuerySet, locale: Locale) -> QuerySet:
    """Each page once: its translation in `locale` when there is one among `pages`, else
    the page in the language it was recorded in."""
    translated = pages.filter(locale=locale).values("translation_key")
    return pages.filter(Q(locale=locale) | ~Q(translation_key__in=translated))


def page_link(page: Page, request: HttpRequest, locale: Locale) -> str:
    """The page's address, in the active language when the page is in another one."""
    url = page.get_url(request)
    if page.locale_id != locale.pk:
        url = localize_url(url, translation.get_language())
    return url


def latest(value: datetime.datetime | None, *others: datetime.datetime | None):
    """The latest of the moments given (None when there is none)."""
    known = [moment for moment in (value, *others) if moment is not None]
    return max(known) if known else None


def policy_versions(request: HttpRequest) -> list[Entry]:
    """Policy versions released to the public, the latest release first."""
    locale = Locale.get_active()
    versions = in_language(PolicyVersionPage.objects.publicly_visible(), locale).order_by(
        "-release_date", "-pk"
    )[:FEED_SIZE]
    return [
        Entry(
            key=f"policy_version:{version.pk}",
            title=version.title,
            link=page_link(version, request, locale),
            summary=summary_of(version.summary_of_changes),
            published=moment(version.release_date),
            updated=latest(moment(version.release_date), version.last_published_at)
            or timezone.now(),
        )
        for version in versions
    ]


def _round_entry(round_: ConsultationRoundPage, request, locale, summary: str, **dates) -> Entry:
    return Entry(
        key=f"consultation_round:{round_.pk}",
        title=f"{round_.title} ({round_.get_state_display()})",
        link=page_link(round_, request, locale),
        summary=summary,
        **dates,
    )


def _deadline(page: ConsultationRoundPage) -> str:
    return _("Briefs from %(opens)s until %(closes)s.") % {
        "opens": date_format(page.opens_on),
        "closes": date_format(page.closes_on),
    }


def rounds(request: HttpRequest) -> list[Entry]:
    """Consultation rounds once opened (planned ones are not news yet), the latest to
    open first, with their state: a change of state updates the entry."""
    locale = Locale.get_active()
    pages = (
        in_language(ConsultationRoundPage.objects.live().public(), locale)
        .exclude(state=RoundState.PLANNED)
        .order_by("-opens_on", "-pk")[:FEED_SIZE]
    )
    return [
        _round_entry(
            page,
            request,
            locale,
            " ".join(filter(None, [_deadline(page), summary_of(page.description)])),
            published=moment(page.opens_on),
            updated=latest(moment(page.opens_on), page.state_changed_at) or timezone.now(),
        )
        for page in pages
    ]


def _asked(entry: RoundEntry) -> str:
    if not entry.asked:
        return ""
    return _("It asks about: %(sections)s.") % {
        "sections": ", ".join(section["heading"] for section in entry.asked)
    }


def open_rounds(request: HttpRequest) -> list[Entry]:
    """The rounds taking briefs today (the open-rounds page), the nearest deadline
    first, as that page lists them."""
    locale = Locale.get_active()
    return [
        _round_entry(
            entry.page,
            request,
            locale,
            " ".join(
                filter(
                    None,
                    [
                        _deadline(entry.page),
                        entry.version.title if entry.version else "",
                        _asked(entry),
                        summary_of(entry.page.description),
                    ],
                )
            ),
            published=moment(entry.page.opens_on),
            updated=latest(moment(entry.page.opens_on), entry.page.state_changed_at)
            or timezone.now(),
        )
        for entry in rounds_open_now(locale)[:FEED_SIZE]
    ]


def reports(request: HttpRequest) -> list[Entry]:
    """The rounds whose report, or the government's response, is out: the latest first
    (the home page's list). The entry is the round's: its response updates it."""
    locale = Locale.get_active()
    entries = []
    for entry in latest_reports(locale, limit=FEED_SIZE):
        page = entry.page
        if page.response_is_public:
            what = _("The government's response is published.")
        else:
            what = _("The report is published.")
        entries.append(
            Entry(
                key=f"consultation_round:{page.pk}",
                title=f"{page.title} ({page.get_state_display()})",
                link=page_link(page, request, locale)
                + ("#response" if page.response_is_public else "#report"),
                summary=" ".join(filter(None, [what, summary_of(page.report)])),
                published=moment(page.report_date),
                updated=latest(
                    moment(page.report_date), moment(page.response_date), page.state_changed_at
                )
                or timezone.now(),
            )
        )
    return entries


def positions(request: HttpRequest) -> list[Entry]:
    """Organizations' published positions, the latest stated first."""
    locale = Locale.get_active()
    pages = (
        in_language(PositionPage.objects.live().public(), locale)
        .select_related("organization")
        .order_by("-stated_on", "-pk")[:FEED_SIZE]
    )
    return [
        Entry(
            key=f"position:{page.pk}",
            title=page.title,
            link=page_link(page, request, locale),
            summary=f"{page.organization.name}: {summary_of(page.body)}",
            published=moment(page.stated_on),
            updated=latest(moment(page.stated_on), page.last_published_at) or timezone.now(),
        )
        for page in pages
    ]


def organizations(request: HttpRequest) -> list[Entry]:
    """Organizations newly listed in the catalogue, the latest first."""
    listed = Organization.objects.select_related("region").order_by("-created_at", "-pk")
    return [
        Entry(
            key=f"organization:{organization.pk}",
            title=organization.name,
            link=organization.get_absolute_url(),
            summary=summary_of(organization.summary),
            published=organization.created_at,
            updated=organization.updated_at,
        )
        for organization in listed[:FEED_SIZE]
    ]


def meetings(request: HttpRequest) -> list[Entry]:
    """Fora's meetings as recorded, the latest date first."""
    recorded = Meeting.objects.select_related("forum").order_by("-held_on", "-pk")[:FEED_SIZE]
    return [
        Entry(
            key=f"meeting:{meeting.pk}",
            title=_("%(forum)s: meeting of %(date)s")
            % {"forum": meeting.forum.name, "date": date_format(meeting.held_on)},
            link=meeting.forum.get_absolute_url() + "#forum-meetings",
            summary=_("%(mode)s, %(hours)s hours.")
            % {"mode": meeting.get_mode_display(), "hours": meeting.duration_hours.normalize()},
            published=moment(meeting.held_on),
            updated=moment(meeting.held_on),
        )
        for meeting in recorded
    ]


def seat_changes(request: HttpRequest) -> list[Entry]:
    """Seat terms as they start or end, the latest start first: who holds which seat of
    which forum (the delegate's name stays on the forum's page)."""
    terms = SeatTerm.objects.select_related("seat__forum", "organization").order_by(
        "-starts_on", "-pk"
    )[:FEED_SIZE]
    entries = []
    for term in terms:
        if term.ends_on:
            period = _("From %(start)s until %(end)s.") % {
                "start": date_format(term.starts_on),
                "end": date_format(term.ends_on),
            }
        else:
            period = _("Since %(start)s.") % {"start": date_format(term.starts_on)}
        entries.append(
            Entry(
                key=f"seat_term:{term.pk}",
                title=_("%(organization)s holds the seat “%(seat)s” of %(forum)s")
                % {
                    "organization": term.organization.name,
                    "seat": term.seat.label,
                    "forum": term.seat.forum.name,
                },
                link=term.seat.forum.get_absolute_url() + "#forum-seats",
                summary=period,
                published=moment(term.starts_on),
                updated=latest(moment(term.starts_on), moment(term.ends_on)) or timezone.now(),
            )
        )
    return entries


def allocations(request: HttpRequest) -> list[Entry]:
    """Published funding allocations, the latest recorded first: organization,
    programme, fiscal year and amount only (never notes or dates)."""
    published = (
        Allocation.objects.published()
        .select_related("organization", "programme")
        .order_by("-recorded_at", "-pk")[:FEED_SIZE]
    )
    return [
        Entry(
            key=f"allocation:{allocation.pk}",
            title=_("%(programme)s: %(organization)s, %(year)s")
            % {
                "programme": allocation.programme.name,
                "organization": allocation.organization.name,
                "year": fiscal_year_label(allocation.fiscal_year),
            },
            link=reverse("organization_funding", kwargs={"slug": allocation.organization.slug}),
            summary=_("%(amount)s, %(mode)s.")
            % {"amount": money(allocation.amount), "mode": allocation.get_mode_display()},
            published=allocation.recorded_at,
            updated=allocation.recorded_at,
        )
        for allocation in published
    ]
