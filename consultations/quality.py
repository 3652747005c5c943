"""Figures on the quality of a consultation process, from the record.

Openness: was the sector given a text before it was fixed? For each version, the days
between the first access by a sector organization (anything but a government body) and
the public release.

The consultation itself: how many rounds and how they ended (abandoned ones with their
reason), how many briefs the sector sent and how many the public may read, and how many
points the government answered and how many of those changed the next version.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q

from organizations.models import OrganizationKind

from .models import (
    ConsultationRoundPage,
    PolicyVersionPage,
    ResponsePoint,
    RoundState,
    Submission,
)


@dataclass(frozen=True)
class VersionOpenness:
    version: PolicyVersionPage
    # Accesses before the release date, earliest first.
    prior_accesses: list
    # Days the sector had the text before release; None when it had not seen it.
    sector_lead_days: int | None


def version_openness(version: PolicyVersionPage) -> VersionOpenness:
    """Computed from `version.accesses` (prefetch `accesses__recipient` for many)."""
    prior = [a for a in version.accesses.all() if a.days_before_release is not None]
    prior.sort(key=lambda access: access.received_on)
    sector = [a for a in prior if a.recipient.kind != OrganizationKind.GOVERNMENT]
    return VersionOpenness(
        version=version,
        prior_accesses=prior,
        sector_lead_days=sector[0].days_before_release if sector else None,
    )


@dataclass(frozen=True)
class RoundOutcome:
    state: str
    label: str
    count: int


@dataclass(frozen=True)
class ConsultationQuality:
    """How a policy's consultation went, over its public rounds."""

    rounds: int
    # States that hold rounds, in lifecycle order.
    outcomes: list[RoundOutcome]
    # Abandoned rounds, each with its `abandoned_reason`.
    abandoned: list[ConsultationRoundPage]
    submissions_received: int
    submissions_published: int
    # Points of published responses only: drafts are not on the record yet.
    points_published: int
    points_changed: int

    @property
    def changed_percent(self) -> int | None:
        """The share of published points marked "changed in the next version"."""
        if not self.points_published:
            return None
        return round(100 * self.points_changed / self.points_published)


def consultation_quality(rounds: Sequence[ConsultationRoundPage]) -> ConsultationQuality:
    """The figures over `rounds` (a policy's public rounds, already fetched: the policy
    page lists them). Two aggregate queries, however many rounds and points."""
    round_ids = [round_page.pk for round_page in rounds]
    # A translated round shows its record's briefs and points (`ConsultationRoundPage.record`).
    round_keys = [round_page.translation_key for round_page in rounds]
    counts = Counter(round_page.state for round_page in rounds)
    submissions = Submission.objects.filter(round__translation_key__in=round_keys).aggregate(
        received=Count("pk"),
        published=Count("pk", filter=Q(pk__in=Submission.objects.published().values("pk"))),
    )
    points = (
        ResponsePoint.objects.published()
        .filter(round__translation_key__in=round_keys)
        .aggregate(
            published=Count("pk"), changed=Count("pk", filter=Q(changed_in_next_version=True))
        )
    )
    return ConsultationQuality(
        rounds=len(round_ids),
        outcomes=[
            RoundOutcome(state, label, counts[state])
            for state, label in RoundState.choices
            if counts[state]
        ],
        abandoned=[r for r in rounds if r.state == RoundState.ABANDONED],
        submissions_received=submissions["received"],
        submissions_published=submissions["published"],
        points_published=points["published"],
        points_changed=points["changed"],
    )
