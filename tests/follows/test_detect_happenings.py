"""Detection (`follows.detection.detect`): each kind of happening, with the targets its
followers follow, recorded once; drafts never; one notice per reader; a pass costs the
same queries whatever the number of follows."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from concertation.site_setup import publish_translation
from consultations.fora.models import Attendance, Meeting, Seat, SeatTerm
from consultations.models import PositionPage, ResponsePoint
from consultations.models.cosignature import CoSignatureState, SubmissionCoSignature
from consultations.services.rounds import change_round_state, submit_brief
from follows.detection import detect, detect_task, match_saved_searches_task
from follows.models import DetectionMark, Happening, HappeningKind, Notice, NoticeState
from organizations.funding.models import Allocation
from organizations.permissions import grant_editor
from tests.concurrency import wait_until_someone_waits_for_a_lock
from tests.consultations.test_rounds import add_round
from tests.factories import (
    ForumFactory,
    OrganizationFactory,
    ProgrammeFactory,
    UserFactory,
    publish_policy_version,
)
from tests.follows.detect_fixtures import follow, reader, told

pytestmark = pytest.mark.django_db


def happenings() -> dict[tuple[str, str], set[str]]:
    """(kind, subject) → its targets, for every happening recorded."""
    recorded: dict[tuple[str, str], set[str]] = {}
    for happening in Happening.objects.prefetch_related("targets"):
        recorded[(happening.kind, happening.subject)] = {t.target for t in happening.targets.all()}
    return recorded


def open_round(policy, **fields):
    today = timezone.localdate()
    round_page = add_round(
        policy,
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=10),
        report="<p>What we heard.</p>",
        **fields,
    )
    change_round_state(round_page, "open")
    return round_page


def send_brief(round_page, title: str, *, publication: str = "named", co_signers=()):
    organization = OrganizationFactory(name=f"Author of {title}")
    editor = UserFactory(username=f"editor-{organization.slug}")
    grant_editor(editor, organization)
    return submit_brief(
        round_page,
        organization,
        editor,
        title=title,
        summary="We ask for multiyear funding.",
        publication=publication,
        co_signers=co_signers,
    )


@pytest.fixture
def draft_version(home_page):
    """A policy with a version saved as a draft (the policy exists, so it can be
    followed before the version is published)."""
    return publish_policy_version(home_page, "Draft policy, version 1", "Scope.", publish=False)


class TestPolicyVersions:
    def test_a_draft_never_creates_a_happening_its_publication_does(self, draft_version):
        policy = draft_version.get_parent()
        someone = reader("someone@example.org", f"policy:{policy.pk}")

        assert detect() == 0
        assert happenings() == {}

        draft_version.save_revision().publish()
        assert detect() == 1
        assert happenings() == {
            (HappeningKind.PUBLISHED, f"policy_version:{draft_version.pk}"): {f"policy:{policy.pk}"}
        }
        assert told(someone) == {(HappeningKind.PUBLISHED, f"policy_version:{draft_version.pk}")}

    def test_an_internal_version_published_is_no_happening(self, home_page):
        someone = reader("someone@example.org")
        version = publish_policy_version(home_page, "Internal draft", "x", status="internal")
        follow(someone, f"policy:{version.get_parent().pk}")

        detect()

        assert happenings() == {}

    def test_a_version_republished_is_announced_once(self, draft_version):
        someone = reader("someone@example.org", f"policy:{draft_version.get_parent().pk}")
        draft_version.save_revision().publish()
        detect()
        draft_version.refresh_from_db()
        draft_version.title = "Draft policy, version 1 (typo fixed)"
        draft_version.save_revision().publish()

        assert detect() == 0
        assert Notice.objects.filter(subscriber=someone).count() == 1


class TestRounds:
    def test_each_step_of_a_round_is_a_happening_about_the_round_and_its_policy(
        self, draft_version
    ):
        policy = draft_version.get_parent()
        round_page = add_round(
            policy,
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate() + datetime.timedelta(days=10),
            report="<p>What we heard.</p>",
        )
        round_follower = reader("round@example.org", f"round:{round_page.pk}")
        listing_follower = reader("listing@example.org", "listing:open_rounds")
        subject = f"consultation_round:{round_page.pk}"

        assert detect() == 0  # planned: nothing to tell
        change_round_state(round_page, "open")
        detect()
        assert happenings()[(HappeningKind.ROUND_OPENED, subject)] == {
            f"round:{round_page.pk}",
            f"policy:{policy.pk}",
            "listing:open_rounds",
        }
        for state in ("closed", "report_published"):
            change_round_state(round_page, state)
            detect()
        ResponsePoint.objects.create(round=round_page, said="Fund the mission.", response="Yes.")
        change_round_state(round_page, "response_published")
        detect()

        assert told(round_follower) == {
            (HappeningKind.ROUND_OPENED, subject),
            (HappeningKind.ROUND_CLOSED, subject),
            (HappeningKind.REPORT_PUBLISHED, subject),
            (HappeningKind.RESPONSE_PUBLISHED, subject),
        }
        assert told(listing_follower) == {(HappeningKind.ROUND_OPENED, subject)}
        assert happenings()[(HappeningKind.ROUND_CLOSED, subject)] == {
            f"round:{round_page.pk}",
            f"policy:{policy.pk}",
        }


class TestBriefs:
    def test_a_brief_is_announced_when_its_round_closes_to_round_policy_and_signers(
        self, draft_version
    ):
        policy = draft_version.get_parent()
        round_page = open_round(policy)
        co_signer = OrganizationFactory(name="Co-signing coalition")
        brief = send_brief(round_page, "Multiyear funding", co_signers=[co_signer])
        SubmissionCoSignature.objects.filter(submission=brief).update(
            state=CoSignatureState.CONFIRMED, decided_at=timezone.now()
        )
        organization_follower = reader("org@example.org", f"organization:{co_signer.pk}")

        detect()
        assert not any(subject.startswith("submission:") for _kind, subject in happenings())

        change_round_state(round_page, "closed")
        detect()

        assert happenings()[(HappeningKind.PUBLISHED, f"submission:{brief.pk}")] == {
            f"round:{round_page.pk}",
            f"policy:{policy.pk}",
            f"organization:{brief.organization_id}",
            f"organization:{co_signer.pk}",
        }
        assert (HappeningKind.PUBLISHED, f"submission:{brief.pk}") in told(organization_follower)

    def test_an_anonymous_brief_does_not_name_its_organization_to_its_followers(
        self, draft_version
    ):
        round_page = open_round(draft_version.get_parent())
        brief = send_brief(round_page, "Without our name", publication="anonymous")
        organization_follower = reader("org@example.org", f"organization:{brief.organization_id}")
        round_follower = reader("round@example.org", f"round:{round_page.pk}")
        change_round_state(round_page, "closed")

        detect()

        targets = happenings()[(HappeningKind.PUBLISHED, f"submission:{brief.pk}")]
        assert f"organization:{brief.organization_id}" not in targets
        assert told(organization_follower) == set()
        assert (HappeningKind.PUBLISHED, f"submission:{brief.pk}") in told(round_follower)

    def test_a_withheld_brief_is_never_a_happening(self, draft_version):
        round_page = open_round(draft_version.get_parent())
        brief = send_brief(round_page, "Not for publication", publication="withheld")
        reader("round@example.org", f"round:{round_page.pk}")
        change_round_state(round_page, "closed")

        detect()

        assert (HappeningKind.PUBLISHED, f"submission:{brief.pk}") not in happenings()


class TestPositions:
    def test_a_position_published_is_about_its_organization_policy_and_the_listing(
        self, draft_version, position_index
    ):
        policy = draft_version.get_parent()
        coalition = OrganizationFactory(name="Coalition of the sector")
        listing_follower = reader("listing@example.org", "listing:new_positions")
        page = position_index.add_child(
            instance=PositionPage(
                title="Autonomy first",
                organization=coalition,
                policy=policy,
                stated_on=datetime.date(2000, 6, 1),
                body="<p>Autonomy first.</p>",
                live=False,
            )
        )
        page.save_revision()
        detect()
        assert happenings() == {}  # a draft waiting for moderation

        page.save_revision().publish()
        detect()

        assert happenings()[(HappeningKind.PUBLISHED, f"position:{page.pk}")] == {
            f"organization:{coalition.pk}",
            f"policy:{policy.pk}",
            "listing:new_positions",
        }
        assert told(listing_follower) == {(HappeningKind.PUBLISHED, f"position:{page.pk}")}


class TestForaAndFunding:
    def test_seat_terms_starting_and_ending_and_meetings_added(self, db):
        today = timezone.localdate()
        forum = ForumFactory(name="Regional table")
        holder = OrganizationFactory(name="Seat holder")
        forum_follower = reader("forum@example.org", f"forum:{forum.pk}")
        seat = Seat.objects.create(forum=forum, label="Community seat", designation="government")
        term = SeatTerm.objects.create(
            seat=seat, organization=holder, starts_on=today - datetime.timedelta(days=2)
        )
        meeting = Meeting.objects.create(
            forum=forum,
            held_on=today + datetime.timedelta(days=7),
            duration_hours=Decimal(3),
            mode="online",
        )
        old_meeting = Meeting.objects.create(
            forum=forum, held_on=datetime.date(2001, 3, 1), duration_hours=Decimal(3), mode="online"
        )

        detect()
        SeatTerm.objects.filter(pk=term.pk).update(ends_on=today)
        detect()

        recorded = happenings()
        assert recorded[(HappeningKind.SEAT_CHANGED, f"seat_term:{term.pk}")] == {
            f"forum:{forum.pk}",
            f"organization:{holder.pk}",
        }
        assert (HappeningKind.SEAT_ENDED, f"seat_term:{term.pk}") in recorded
        assert recorded[(HappeningKind.PUBLISHED, f"meeting:{meeting.pk}")] == {
            f"forum:{forum.pk}",
            f"organization:{holder.pk}",
        }
        assert (HappeningKind.PUBLISHED, f"meeting:{old_meeting.pk}") not in recorded
        assert told(forum_follower) == {
            (HappeningKind.SEAT_CHANGED, f"seat_term:{term.pk}"),
            (HappeningKind.SEAT_ENDED, f"seat_term:{term.pk}"),
            (HappeningKind.PUBLISHED, f"meeting:{meeting.pk}"),
        }

    def test_a_meeting_is_about_the_organizations_that_attended(self, db):
        today = timezone.localdate()
        forum = ForumFactory(name="Regional table")
        seat = Seat.objects.create(forum=forum, label="Community seat", designation="government")
        earlier = OrganizationFactory(name="Former holder")
        term = SeatTerm.objects.create(
            seat=seat,
            organization=earlier,
            starts_on=today - datetime.timedelta(days=400),
            ends_on=today - datetime.timedelta(days=5),
        )
        reader("forum@example.org", f"forum:{forum.pk}")
        meeting = Meeting.objects.create(
            forum=forum,
            held_on=today - datetime.timedelta(days=6),
            duration_hours=Decimal(2),
            mode="online",
        )
        Attendance.objects.create(meeting=meeting, term=term)

        detect()

        assert (
            f"organization:{earlier.pk}"
            in happenings()[(HappeningKind.PUBLISHED, f"meeting:{meeting.pk}")]
        )

    def test_an_allocation_is_announced_when_published_never_as_a_draft(self, db):
        programme = ProgrammeFactory()
        organization = OrganizationFactory(name="Funded group")
        programme_follower = reader("programme@example.org", f"programme:{programme.pk}")
        allocation = Allocation.objects.create(
            organization=organization,
            programme=programme,
            fiscal_year=2026,
            amount=Decimal("10000.00"),
            mode=programme.mode,
            origin="new",
            status="draft",
        )

        detect()
        assert happenings() == {}

        Allocation.objects.filter(pk=allocation.pk).update(status="published")
        detect()

        assert happenings()[(HappeningKind.PUBLISHED, f"allocation:{allocation.pk}")] == {
            f"programme:{programme.pk}",
            f"organization:{organization.pk}",
        }
        assert told(programme_follower) == {
            (HappeningKind.PUBLISHED, f"allocation:{allocation.pk}")
        }


class TestTasks:
    def test_the_worker_runs_detection_and_the_saved_searches(self, draft_version, settings):
        settings.ELASTICSEARCH_URL = ""  # the saved searches answered by the database
        reader("someone@example.org", f"policy:{draft_version.get_parent().pk}")
        draft_version.save_revision().publish()

        assert detect_task.enqueue().return_value == 1
        assert detect_task.enqueue().return_value == 0
        assert match_saved_searches_task.enqueue().return_value == 0


class TestTranslations:
    def test_a_follow_of_either_language_is_told_once_of_a_record_and_its_translation(
        self, draft_version
    ):
        """A version, a round and their French pages are one record each: followers of the
        French policy are told of the English release; the French page published later is
        no second happening; a round's subject is its record's page."""
        french = Locale.objects.get(language_code="fr")
        policy = draft_version.get_parent().specific
        publish_translation(policy.get_parent().specific, french, title="Politiques", slug="pol")
        policy_fr = publish_translation(policy, french, title="Politique", slug="politique")
        follower_fr = reader("fr@example.org", f"policy:{policy_fr.pk}")
        draft_version.save_revision().publish()
        round_page = add_round(
            policy,
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate() + datetime.timedelta(days=10),
        )
        round_fr = publish_translation(round_page, french, title="Consultation", slug="consult")
        round_follower_fr = reader("round-fr@example.org", f"round:{round_fr.pk}")
        detect()
        publish_translation(draft_version, french, title="Projet, version 1", slug="projet-v1")
        change_round_state(round_fr, "open")

        detect()

        version = (HappeningKind.PUBLISHED, f"policy_version:{draft_version.pk}")
        opened = (HappeningKind.ROUND_OPENED, f"consultation_round:{round_page.pk}")
        assert told(follower_fr) == {version, opened}
        assert told(round_follower_fr) == {opened}
        assert happenings()[opened] >= {f"round:{round_page.pk}", f"round:{round_fr.pk}"}
        assert happenings()[version] == {f"policy:{policy.pk}", f"policy:{policy_fr.pk}"}
        assert Happening.objects.filter(subject__startswith="policy_version:").count() == 1


class TestOnce:
    def test_running_twice_records_the_same_rows(self, draft_version):
        policy = draft_version.get_parent()
        reader("someone@example.org", f"policy:{policy.pk}")
        draft_version.save_revision().publish()
        open_round(policy)

        first = detect()
        rows = (
            set(Happening.objects.values_list("pk", "kind", "subject")),
            set(Notice.objects.values_list("pk", "subscriber", "kind", "subject")),
        )
        second = detect()

        assert first == 2
        assert second == 0
        assert rows == (
            set(Happening.objects.values_list("pk", "kind", "subject")),
            set(Notice.objects.values_list("pk", "subscriber", "kind", "subject")),
        )

    def test_a_record_reached_by_two_follows_is_one_notice(self, draft_version):
        policy = draft_version.get_parent()
        round_page = open_round(policy)
        brief = send_brief(round_page, "Multiyear funding")
        someone = reader(
            "someone@example.org",
            f"policy:{policy.pk}",
            f"round:{round_page.pk}",
            f"organization:{brief.organization_id}",
        )
        change_round_state(round_page, "closed")

        detect()

        notices = Notice.objects.filter(subscriber=someone, subject=f"submission:{brief.pk}")
        assert notices.count() == 1
        assert notices.get().state == NoticeState.PENDING

    def test_readers_not_receiving_email_are_not_told(self, draft_version):
        policy = draft_version.get_parent()
        target = f"policy:{policy.pk}"
        unconfirmed = reader("new@example.org", target, confirmed_at=None)
        gone = reader("gone@example.org", target, unsubscribed_at=timezone.now())
        draft_version.save_revision().publish()

        detect()

        assert told(unconfirmed) == told(gone) == set()

    def test_nothing_public_before_the_first_follow_is_announced(self, home_page):
        version = publish_policy_version(home_page, "An old version", "x")
        someone = reader("late@example.org")
        # Followed from now on: what was published before is history, not news.
        follow(someone, f"policy:{version.get_parent().pk}", created_at=timezone.now())

        assert detect() == 0
        assert told(someone) == set()


class TestCost:
    def test_a_pass_costs_the_same_queries_for_10_and_100_follows(self, draft_version):
        policy = draft_version.get_parent()
        round_page = open_round(policy)
        brief = send_brief(round_page, "Multiyear funding")
        targets = [
            f"policy:{policy.pk}",
            f"round:{round_page.pk}",
            f"organization:{brief.organization_id}",
            "listing:open_rounds",
        ]

        def pass_with(readers: int) -> tuple[int, int]:
            Happening.objects.all().delete()
            DetectionMark.objects.all().delete()
            start = Notice.objects.count()
            for number in range(readers):
                follow(
                    reader(f"reader-{readers}-{number}@example.org"),
                    targets[number % len(targets)],
                )
            with CaptureQueriesContext(connection) as queries:
                detect()
            return len(queries), Notice.objects.count() - start

        draft_version.save_revision().publish()
        change_round_state(round_page, "closed")
        ten, told_ten = pass_with(10)
        hundred, told_hundred = pass_with(100)

        assert told_ten > 0
        assert told_hundred > told_ten
        assert ten == hundred


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_passes_at_once_record_and_tell_once(home_page):
    """Two connections: the first pass holds the mark's lock until the second is seen
    waiting for it, then commits; the second then finds everything recorded."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and two connections")
    version = publish_policy_version(home_page, "Draft policy, version 1", "x", publish=False)
    someone = reader("someone@example.org", f"policy:{version.get_parent().pk}")
    version.save_revision().publish()
    results: dict[str, object] = {}
    first_holds_lock = threading.Event()

    def detect_as(name: str, hold: bool) -> None:
        try:
            with transaction.atomic():
                results[name] = detect()
                if hold:
                    first_holds_lock.set()
                    wait_until_someone_waits_for_a_lock()
        except Exception as error:
            results[name] = error
        finally:
            connections.close_all()

    one = threading.Thread(target=detect_as, args=("first", True))
    one.start()
    assert first_holds_lock.wait(10)
    two = threading.Thread(target=detect_as, args=("second", False))
    two.start()
    one.join(30)
    two.join(30)

    assert results == {"first": 1, "second": 0}
    assert Happening.objects.count() == 1
    assert told(someone) == {(HappeningKind.PUBLISHED, f"policy_version:{version.pk}")}
