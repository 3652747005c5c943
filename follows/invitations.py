"""Round invitations and reminders: each invited organization's editors are told when a
round opens, and those who have not sent a brief are reminded before the deadline.

One e-mail per round record (not per translation: decision 011) and editor, whatever the
number of passes: its key is `invitation:<round pk>:<user pk>` (`reminder:…` for the
reminder), the record's pk, so `follows.mail.queue` finds it the second time. A pass
reads the rounds, their invited organizations, the editors, the e-mails already queued
and the paused rounds in a fixed number of queries, and queues only the missing ones.

An organization invited after the round opened, or an editor given an organization
later, gets the invitation at the next pass. The staff (the round's stewards) may pause
a round's invitations (`PausedRound`): those waiting are held, new ones are queued HELD
(`follows.mail.queue`), and `resume` releases them.
Whether the e-mail is still due (round open and published, the user active and still
an editor of an invited organization) is asked again when it is rendered
(`follows.invitation_mail`), so a change between the pass and the sending is heeded.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from consultations.models import ConsultationRoundPage, Submission
from consultations.permissions.stewardship import manages_round
from organizations.models import Organization
from organizations.permissions import editors_of

from .models import Delivery, DeliveryKind, DeliveryState, PausedRound

User = AbstractBaseUser | AnonymousUser

# The states an e-mail is waiting in: what a pause holds and a resume releases.
WAITING = (DeliveryState.QUEUED, DeliveryState.FAILED)


def reminder_days() -> int:
    """How many days before `closes_on` the reminder goes (FOLLOWS_REMINDER_DAYS, 3)."""
    return int(getattr(settings, "FOLLOWS_REMINDER_DAYS", 3))


def invitation_key(round_pk: int, user_pk: int) -> str:
    return f"invitation:{round_pk}:{user_pk}"


def reminder_key(round_pk: int, user_pk: int) -> str:
    return f"reminder:{round_pk}:{user_pk}"


def open_rounds(today: datetime.date):
    """The rounds taking briefs today, as records (one per translation group), published."""
    return (
        ConsultationRoundPage.objects.records()
        .live()
        .open_now(today)
        .select_related("locale")
        .order_by("pk")
    )


def invited_organizations(rounds: Iterable[ConsultationRoundPage]) -> dict[int, set[int]]:
    """Round record pk → the organizations invited on any of its published pages (each
    translation keeps its own list; an organization shown as invited in either language
    is invited). One query."""
    by_key = {page.translation_key: page.pk for page in rounds}
    if not by_key:
        return {}
    through = ConsultationRoundPage.invited.through
    rows = through.objects.filter(
        consultationroundpage__translation_key__in=list(by_key),
        consultationroundpage__live=True,
    ).values_list("consultationroundpage__translation_key", "organization_id")
    invited: dict[int, set[int]] = defaultdict(set)
    for key, organization_id in rows:
        invited[by_key[key]].add(organization_id)
    return invited


def editors_by_organization(organization_ids: Iterable[int]) -> dict[int, set[int]]:
    """Organization pk → the pks of its editors: `organizations.permissions.editors_of`'s
    rule (the object permission, given to the user or one of their groups; superusers
    not listed) for many organizations at once, in two queries on the grants' tables."""
    organization_ids = list(organization_ids)
    editors: dict[int, set[int]] = defaultdict(set)
    if not organization_ids:
        return editors
    by_user = get_user_obj_perms_model(Organization)
    by_group = get_group_obj_perms_model(Organization)
    if by_user.objects.is_generic() or by_group.objects.is_generic():
        for organization in Organization.objects.filter(pk__in=organization_ids):
            editors[organization.pk] = {user.pk for user in editors_of(organization)}
        return editors
    permission = Permission.objects.filter(
        content_type__app_label="organizations", codename="change_organization"
    )
    direct = by_user.objects.filter(
        permission__in=permission, content_object_id__in=organization_ids
    ).values_list("content_object_id", "user_id")
    through_groups = by_group.objects.filter(
        permission__in=permission,
        content_object_id__in=organization_ids,
        group__user__isnull=False,
    ).values_list("content_object_id", "group__user__id")
    for organization_id, user_id in direct.union(through_groups):
        editors[organization_id].add(user_id)
    return editors


def recipients(user_ids: Iterable[int]) -> dict[int, AbstractBaseUser]:
    """The users an e-mail may go to: active, with an address; with their subscriber
    and admin profile (their language) in the same query."""
    users = (
        get_user_model()
        .objects.filter(pk__in=list(user_ids), is_active=True)
        .exclude(email="")
        .select_related("subscriber", "wagtail_userprofile")
    )
    return {user.pk: user for user in users}


def language_for(user: AbstractBaseUser, round_page: ConsultationRoundPage) -> str:
    """The language to write to `user` in: the one they chose for their follows, else
    the admin's language they chose, else the round's record's language."""
    languages = dict(settings.LANGUAGES)
    subscriber = getattr(user, "subscriber", None)
    if subscriber is not None and subscriber.language in languages:
        return subscriber.language
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.preferred_language in languages:
        return profile.preferred_language
    language = round_page.locale.language_code
    return language if language in languages else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class _Due:
    round: ConsultationRoundPage
    user: AbstractBaseUser


def _due(
    rounds: list[ConsultationRoundPage], leave_out: set[tuple[int, int]] | None = None
) -> list[_Due]:
    """Every (round, editor of an invited organization) pair, each once; `leave_out`
    holds (round pk, organization pk) pairs not to count (those that sent a brief)."""
    invited = invited_organizations(rounds)
    editors = editors_by_organization({o for orgs in invited.values() for o in orgs})
    users = recipients({u for pks in editors.values() for u in pks})
    due: list[_Due] = []
    for page in rounds:
        user_ids: set[int] = set()
        for organization_id in invited.get(page.pk, ()):
            if leave_out and (page.pk, organization_id) in leave_out:
                continue
            user_ids |= editors.get(organization_id, set())
        due.extend(_Due(page, users[pk]) for pk in sorted(user_ids) if pk in users)
    return due


def _queue_all(due: list[_Due], kind: DeliveryKind, make_key) -> int:
    """Queue the e-mails of `due` not queued yet; the count. Those already queued are
    read in one query, so a pass that finds nothing new writes nothing. `queue` holds
    the e-mails of a paused round."""
    if not due:
        return 0
    from .mail import queue

    keys = {make_key(item.round.pk, item.user.pk): item for item in due}
    existing = set(Delivery.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    queued = 0
    for key, item in keys.items():
        if key in existing:
            continue
        queue(
            key=key,
            kind=kind,
            email=item.user.email,
            language=language_for(item.user, item.round),
            user=item.user,
            round=item.round,
        )
        queued += 1
    return queued


def queue_invitations(today: datetime.date | None = None) -> int:
    """Queue the invitation of every editor of every organization invited to a round
    open today, once per round record and editor; the number queued by this pass."""
    today = today or timezone.localdate()
    return _queue_all(_due(list(open_rounds(today))), DeliveryKind.INVITATION, invitation_key)


def queue_reminders(today: datetime.date | None = None) -> int:
    """Queue, from `FOLLOWS_REMINDER_DAYS` days before a round's deadline until the
    deadline, one reminder to each editor of an invited organization that has sent no
    brief to it (a withdrawn brief is deleted, so it does not count); the number queued."""
    today = today or timezone.localdate()
    window_end = today + datetime.timedelta(days=reminder_days())
    rounds = list(open_rounds(today).filter(closes_on__lte=window_end))
    if not rounds:
        return 0
    by_key = {page.translation_key: page.pk for page in rounds}
    sent = {
        (by_key[key], organization_id)
        for key, organization_id in Submission.objects.filter(
            round__translation_key__in=list(by_key)
        ).values_list("round__translation_key", "organization_id")
    }
    return _queue_all(_due(rounds, leave_out=sent), DeliveryKind.REMINDER, reminder_key)


def still_due(delivery: Delivery, today: datetime.date | None = None) -> bool:
    """Whether an invitation or reminder may still go: its round published and taking
    briefs, its user active with an address and still an editor of an organization
    invited to it (and, for a reminder, one that has sent no brief). Asked when the
    e-mail is rendered: permissions and rounds change between the pass and the sending."""
    today = today or timezone.localdate()
    user = delivery.user
    if delivery.round_id is None or user is None or not user.is_active or not user.email:
        return False
    round_page = open_rounds(today).filter(pk=delivery.round_id).first()
    if round_page is None:
        return False
    leave_out = None
    if delivery.kind == DeliveryKind.REMINDER:
        leave_out = {
            (round_page.pk, organization_id)
            for organization_id in Submission.objects.filter(
                round__translation_key=round_page.translation_key
            ).values_list("organization_id", flat=True)
        }
    return any(item.user.pk == user.pk for item in _due([round_page], leave_out=leave_out))


def may_pause(user: User, round_page: ConsultationRoundPage) -> bool:
    """The staff who manage the round (its stewards, its policy's, every round's, or a
    superuser: `consultations.permissions.stewardship.manages_round`)."""
    return manages_round(user, round_page)


@transaction.atomic
def pause(round_page: ConsultationRoundPage, user: User) -> PausedRound:
    """Hold the round's invitations and reminders: those waiting are held, and those a
    pass queues are queued held, until `resume`. Refused (PermissionDenied) to anyone
    but the round's staff."""
    if not may_pause(user, round_page):
        raise PermissionDenied
    record = round_page.record
    paused, _created = PausedRound.objects.get_or_create(
        round=record, defaults={"paused_by": user if user.is_authenticated else None}
    )
    Delivery.objects.filter(round=record, state__in=WAITING).update(state=DeliveryState.HELD)
    return paused


@transaction.atomic
def resume(round_page: ConsultationRoundPage, user: User) -> int:
    """Release the round's held e-mails: queued again, and sent in the background once
    the transaction commits; the number released. Refused (PermissionDenied) to anyone
    but the round's staff."""
    from .mail import schedule

    if not may_pause(user, round_page):
        raise PermissionDenied
    record = round_page.record
    PausedRound.objects.filter(round=record).delete()
    held = list(
        Delivery.objects.select_for_update()
        .filter(round=record, state=DeliveryState.HELD)
        .values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=held).update(state=DeliveryState.QUEUED, next_attempt_at=None)
    schedule(held)
    return len(held)


def is_paused(round_page: ConsultationRoundPage) -> bool:
    return PausedRound.objects.filter(round=round_page.record).exists()
