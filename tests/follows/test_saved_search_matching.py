"""Saved searches (`follows.matching.match_saved_searches`) run through the archive
search, against the real Elasticsearch and against its database fallback: what a search
newly finds is announced once to each follower who may read it."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.utils import timezone
from wagtail.models import Locale

from concertation.site_setup import publish_translation
from consultations.services.rounds import change_round_state, submit_brief
from follows.detection import detect
from follows.matching import match_saved_searches
from follows.models import Follow, HappeningKind, Notice
from organizations.models import Organization
from organizations.permissions import grant_editor
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version
from tests.follows.detect_fixtures import follow, reader, save_search, told

pytestmark = pytest.mark.django_db

HOUSING_BRIEFS = "kind=submission&q=housing"


@pytest.fixture(params=[pytest.param("elasticsearch", marks=pytest.mark.elasticsearch), "database"])
def indexed(request, settings):
    """A context manager to make changes in: searchable by the end of the block, on the
    real engine (a fresh index) or on the database fallback (no engine configured)."""
    if request.param == "database":
        settings.ELASTICSEARCH_URL = ""

        @contextmanager
        def nothing_to_index():
            yield

        return nothing_to_index
    request.getfixturevalue("archive_index")
    return request.getfixturevalue("index_on_commit")


@dataclass
class Briefs:
    round: object
    public: object
    withheld: object
    author: Organization
    editor: object


def send(round_page, title: str, publication: str, organization=None):
    organization = organization or OrganizationFactory(name=f"Author of {title}")
    editor = UserFactory(username=f"editor-{organization.slug}")
    grant_editor(editor, organization)
    brief = submit_brief(
        round_page,
        organization,
        editor,
        title=title,
        summary="Housing co-operatives need multiyear funding.",
        publication=publication,
    )
    return brief, editor


def consultation(home_page, *, close: bool = True, days_ago: int = 0) -> Briefs:
    """A round with a public brief and a withheld one (restricted: its organization's
    editors read it), both about housing, sent `days_ago`, the round closed."""
    version = publish_policy_version(home_page, "Community action policy, version 1", "x")
    today = timezone.localdate()
    round_page = add_round(
        version.get_parent().specific,
        opens_on=today - datetime.timedelta(days=days_ago + 3),
        closes_on=today + datetime.timedelta(days=10),
    )
    change_round_state(round_page, "open")
    public, _editor = send(round_page, "Housing brief", "named")
    withheld, editor = send(round_page, "Housing brief kept private", "withheld")
    if days_ago:
        sent = timezone.now() - datetime.timedelta(days=days_ago)
        type(public).objects.filter(pk__in=[public.pk, withheld.pk]).update(submitted_at=sent)
    if close:
        change_round_state(round_page, "closed")
    return Briefs(round_page, public, withheld, withheld.organization, editor)


def test_a_restricted_brief_is_found_for_its_readers_only(home_page, indexed):
    anonymous = reader("anonymous@example.org")
    with indexed():
        briefs = consultation(home_page)
    account = reader("editor@example.org", user=briefs.editor)
    save_search(anonymous, HOUSING_BRIEFS)
    save_search(account, HOUSING_BRIEFS)

    made = match_saved_searches()

    public = (HappeningKind.PUBLISHED, f"submission:{briefs.public.pk}")
    withheld = (HappeningKind.PUBLISHED, f"submission:{briefs.withheld.pk}")
    assert told(anonymous) == {public}
    assert told(account) == {public, withheld}
    assert made == 3
    assert Notice.objects.filter(happening__isnull=False).count() == 0


def test_a_second_pass_tells_no_one_again_and_moves_the_check(home_page, indexed):
    anonymous = reader("anonymous@example.org")
    searched = save_search(anonymous, HOUSING_BRIEFS)
    with indexed():
        consultation(home_page)
    match_saved_searches()
    first = set(Notice.objects.values_list("pk", "subject"))
    now = timezone.now()

    assert match_saved_searches(now=now) == 0
    assert set(Notice.objects.values_list("pk", "subject")) == first
    searched.refresh_from_db()
    assert searched.checked_until == now


def test_a_record_dated_before_the_last_check_is_found_once_it_becomes_public(home_page, indexed):
    """A brief sent days ago is published when its round closes: found through what
    detection recorded, not through its date."""
    anonymous = reader("anonymous@example.org")
    searched = save_search(
        anonymous, HOUSING_BRIEFS, created_at=timezone.now() - datetime.timedelta(days=30)
    )
    with indexed():
        briefs = consultation(home_page, close=False, days_ago=5)
    match_saved_searches()
    assert told(anonymous) == set()  # not public yet
    searched.refresh_from_db()
    assert searched.checked_until is not None

    with indexed():
        change_round_state(briefs.round, "closed")
    match_saved_searches()
    assert told(anonymous) == set()  # dated before the last check, and not recorded yet

    detect()
    match_saved_searches()
    assert told(anonymous) == {(HappeningKind.PUBLISHED, f"submission:{briefs.public.pk}")}


def test_a_record_found_by_a_follow_and_a_saved_search_is_one_notice_per_reader(home_page, indexed):
    author = OrganizationFactory(name="Housing coalition")
    first = reader("first@example.org", f"organization:{author.pk}")
    second = reader("second@example.org", f"organization:{author.pk}")
    for someone in (first, second):
        save_search(someone, HOUSING_BRIEFS)
    with indexed():
        version = publish_policy_version(home_page, "Community action policy", "x")
        today = timezone.localdate()
        round_page = add_round(
            version.get_parent().specific,
            opens_on=today - datetime.timedelta(days=3),
            closes_on=today + datetime.timedelta(days=10),
        )
        change_round_state(round_page, "open")
        brief, _editor = send(round_page, "Housing brief", "named", organization=author)
        change_round_state(round_page, "closed")

    detect()
    match_saved_searches()
    detect()

    for someone in (first, second):
        notices = Notice.objects.filter(subscriber=someone, subject=f"submission:{brief.pk}")
        assert notices.count() == 1


def test_a_policy_section_found_is_announced_as_its_version(home_page, indexed):
    anonymous = reader("anonymous@example.org")
    save_search(anonymous, "q=tenants")
    with indexed():
        version = publish_policy_version(
            home_page,
            "Housing policy",
            "Tenants' associations are community organizations.",
            release_date=timezone.localdate(),
        )

    match_saved_searches()

    assert told(anonymous) == {(HappeningKind.PUBLISHED, f"policy_version:{version.pk}")}


def test_what_was_dated_before_the_search_was_saved_is_not_announced(home_page, indexed):
    with indexed():
        publish_policy_version(home_page, "Housing policy", "Tenants.")  # released in 2000
    anonymous = reader("anonymous@example.org")
    save_search(anonymous, "q=tenants", created_at=timezone.now())

    match_saved_searches()

    assert told(anonymous) == set()


def test_a_saved_query_the_search_now_refuses_is_skipped(db):
    anonymous = reader("anonymous@example.org")
    refused = save_search(anonymous, "kind=no-such-kind")
    kept = follow(anonymous, "listing:open_rounds")

    assert match_saved_searches() == 0

    refused.refresh_from_db()
    assert refused.checked_until is None
    assert Follow.objects.get(pk=kept.pk).checked_until is None


def test_a_translation_found_is_announced_as_its_record(home_page, indexed):
    """A French search finds the round's French page: the reader is told of the round's
    record, the subject detection and the follows use."""
    french = Locale.objects.get(language_code="fr")
    anonymous = reader("lectrice@example.org", language="fr")
    save_search(anonymous, "kind=consultation_round&q=logement")
    with indexed():
        version = publish_policy_version(home_page, "Community action policy", "x")
        policy = version.get_parent().specific
        publish_translation(policy.get_parent().specific, french, title="Politiques", slug="pol")
        publish_translation(policy, french, title="Politique", slug="politique")
        round_page = add_round(
            policy,
            title="Housing consultation",
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate() + datetime.timedelta(days=10),
        )
        round_fr = publish_translation(
            round_page, french, title="Consultation sur le logement", slug="logement"
        )

    match_saved_searches()

    assert round_fr.pk != round_page.pk
    assert told(anonymous) == {(HappeningKind.PUBLISHED, f"consultation_round:{round_page.pk}")}
