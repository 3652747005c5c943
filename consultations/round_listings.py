"""Rounds listed outside their policy: the rounds open now and the latest reports and
government responses, for the home page and the open-rounds page.

Only live rounds outside any view restriction are listed, in the visitor's language when
translated and otherwise in the language they were recorded in, each with its policy and
the public version it consults on (never an internal one). A constant number of queries
whatever the number of rounds: the policies and versions are read in one query each.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Locale

from .models import ConsultationRoundPage, PolicyPage, PolicyVersionPage, RoundState


@dataclass
class RoundEntry:
    """A round as a listing shows it: the page, its policy and what it asks about."""

    page: ConsultationRoundPage
    policy: PolicyPage | None
    version: PolicyVersionPage | None
    # The sections of the version under consultation (anchor, heading): what is asked.
    asked: list[dict] = field(default_factory=list)

    @property
    def days_left(self) -> int | None:
        return self.page.days_left()


def _in_language(rounds, locale: Locale):
    """Each round once: its translation in `locale` when there is one, else its record."""
    translated = rounds.filter(locale=locale).values("translation_key")
    return rounds.filter(Q(locale=locale) | ~Q(translation_key__in=translated))


def _preferring(pages, locale: Locale) -> dict:
    """The pages by translation key, the one in `locale` when there is one."""
    chosen: dict = {}
    for page in pages:
        if page.translation_key not in chosen or page.locale_id == locale.pk:
            chosen[page.translation_key] = page
    return chosen


def _entries(rounds: list[ConsultationRoundPage], locale: Locale) -> list[RoundEntry]:
    """The rounds with their policy (in `locale` when translated) and public version."""
    if not rounds:
        return []
    parent_paths = {page.path[: -PolicyPage.steplen] for page in rounds}
    policies = list(
        PolicyPage.objects.live()
        .public()
        .filter(
            translation_key__in=PolicyPage.objects.filter(path__in=parent_paths).values(
                "translation_key"
            )
        )
    )
    by_path = {policy.path: policy for policy in policies}
    policies_in_language = _preferring(policies, locale)
    version_keys = {page.version.translation_key for page in rounds if page.version_id}
    versions = _preferring(
        PolicyVersionPage.objects.publicly_visible().filter(translation_key__in=version_keys),
        locale,
    )
    entries = []
    for page in rounds:
        parent = by_path.get(page.path[: -PolicyPage.steplen])
        policy = policies_in_language.get(parent.translation_key) if parent else None
        version = versions.get(page.version.translation_key) if page.version_id else None
        asked = (
            [{"anchor": s["anchor"], "heading": s["heading"]} for s in version.sections()]
            if version
            else []
        )
        entries.append(RoundEntry(page=page, policy=policy, version=version, asked=asked))
    return entries


def rounds_open_now(locale: Locale, today: datetime.date | None = None) -> list[RoundEntry]:
    """The public rounds taking briefs today, the nearest deadline first."""
    today = today or timezone.localdate()
    rounds = _in_language(ConsultationRoundPage.objects.live().public().open_now(today), locale)
    return _entries(
        list(rounds.select_related("version", "convenor").order_by("closes_on", "title")), locale
    )


def latest_reports(locale: Locale, limit: int = 5) -> list[RoundEntry]:
    """The public rounds whose report (and perhaps the government's response) is out,
    the latest published first."""
    rounds = _in_language(
        ConsultationRoundPage.objects.live()
        .public()
        .filter(state__in=(RoundState.REPORT_PUBLISHED, RoundState.RESPONSE_PUBLISHED)),
        locale,
    )
    latest = rounds.select_related("version", "convenor").order_by(
        Coalesce("response_date", "report_date").desc(nulls_last=True), "-pk"
    )[:limit]
    return _entries(list(latest), locale)


def round_entry(page: ConsultationRoundPage, locale: Locale) -> RoundEntry:
    """One round's policy, public version and what it asks, for its own page."""
    return _entries([page], locale)[0]
