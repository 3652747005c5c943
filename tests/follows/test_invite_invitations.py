"""Round invitations and reminders (issue #16, the invite part): each invited
organization's editors get one invitation, in their language, through a real SMTP
conversation; a reminder before the deadline to those who have not sent a brief; the
staff pause and resume a round's e-mails; nothing for an unpublished or abandoned round,
an inactive account or an editor removed before the sending."""

import datetime
import logging
import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from guardian.shortcuts import assign_perm

from consultations.permissions.stewardship import grant_steward
from consultations.services.rounds import change_round_state, submit_brief
from follows.invitations import (
    editors_by_organization,
    pause,
    queue_invitations,
    queue_reminders,
    resume,
)
from follows.mail import send_many
from follows.models import Delivery, DeliveryKind, DeliveryState, PausedRound
from organizations.permissions import editors_of, grant_editor, revoke_editor
from tests.factories import OrganizationFactory, UserFactory

pytest_plugins = ["tests.follows.invite_fixtures"]
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def urls(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


class TestInvitations:
    def test_each_invited_editor_gets_one_invitation_with_the_version_deadline_and_link(
        self, invited, smtp_server, run_on_commit
    ):
        with run_on_commit():
            assert queue_invitations() == 2
        [message] = smtp_server.to(invited.editor.email)
        text = body(message)
        assert "Public consultation" in message["Subject"]
        assert "Draft policy, version 2" in text
        with translation.override("en"):
            deadline = date_format(invited.round.closes_on)
        assert deadline in text and deadline in message["Subject"]
        assert "1 Scope" in text and "2 Funding" in text
        assert invited.invited.name in text
        submit = f"http://127.0.0.1:8000{invited.round.url}submit/"
        assert submit in urls(text)
        assert f'href="{submit}"' in html(message)
        # No one else of this round: not the editor of an organization not invited.
        assert smtp_server.to(invited.outsider.email) == []
        assert len(smtp_server.messages) == 2
        delivery = Delivery.objects.get(user=invited.editor)
        assert delivery.key == f"invitation:{invited.round.pk}:{invited.editor.pk}"
        assert delivery.state == DeliveryState.SENT and delivery.round_id == invited.round.pk

    def test_the_invitation_is_written_in_french_to_a_french_speaker(
        self, invited, smtp_server, run_on_commit
    ):
        with run_on_commit():
            queue_invitations()
        [message] = smtp_server.to(invited.editor_fr.email)
        text = body(message)
        assert "Consultation publique" in message["Subject"]
        assert "Projet de politique, version 2" in text
        assert "Dites-nous ce que vous pensez" in text
        with translation.override("fr"):
            deadline = date_format(invited.round.closes_on)
        assert deadline in text
        french_round = invited.round.get_translation(
            invited.round.locale.__class__.objects.get(language_code="fr")
        )
        submit = f"http://127.0.0.1:8000{french_round.url}submit/"
        assert french_round.url.startswith("/fr/")
        assert submit in urls(text)
        assert Delivery.objects.get(user=invited.editor_fr).language == "fr"

    def test_a_second_pass_queues_and_sends_nothing(self, invited, smtp_server, run_on_commit):
        with run_on_commit():
            queue_invitations()
        with run_on_commit():
            assert queue_invitations() == 0
        assert len(smtp_server.messages) == 2
        assert Delivery.objects.count() == 2

    def test_an_organization_invited_later_gets_its_invitation_at_the_next_pass(
        self, invited, smtp_server, run_on_commit
    ):
        with run_on_commit():
            queue_invitations()
        invited.round.invited.add(invited.not_invited)
        invited.round.save_revision().publish()
        with run_on_commit():
            assert queue_invitations() == 1
        assert len(smtp_server.to(invited.outsider.email)) == 1
        assert len(smtp_server.messages) == 3

    def test_one_invitation_per_round_record_not_per_translation(self, invited, run_on_commit):
        """The French page invites the same organizations: still one e-mail each."""
        french_round = invited.round.get_translation(
            invited.round.locale.__class__.objects.get(language_code="fr")
        ).specific
        french_round.invited.add(invited.invited, invited.not_invited)
        french_round.save_revision().publish()
        queue_invitations()
        assert Delivery.objects.filter(round=invited.round).count() == 3
        assert set(Delivery.objects.values_list("round_id", flat=True)) == {invited.round.pk}

    def test_no_invitation_to_an_inactive_account_or_one_without_an_address(self, invited):
        sleeping = UserFactory(username="dormant", is_active=False)
        grant_editor(sleeping, invited.invited)
        silent = UserFactory(username="silent", email="")
        grant_editor(silent, invited.invited)
        queue_invitations()
        assert set(Delivery.objects.values_list("user__username", flat=True)) == {
            "anna",
            "benoit",
        }

    def test_no_invitation_for_a_round_not_published_abandoned_or_planned(
        self, invited, make_round
    ):
        invited.round.unpublish()
        assert queue_invitations() == 0
        invited.round.save_revision().publish()
        change_round_state(invited.round, "abandoned", reason="No budget.")
        assert queue_invitations() == 0
        planned = make_round(
            invited.version.get_parent().specific, title="Later round", opened=False
        )
        planned.invited.add(invited.invited)
        planned.save_revision().publish()
        # Its dates have come, but it is still planned: not open, no invitation.
        assert queue_invitations() == 0
        change_round_state(planned, "open")
        # Open, but not on a day before it opens.
        assert queue_invitations(today=planned.opens_on - datetime.timedelta(days=1)) == 0
        assert queue_invitations() == 1
        assert Delivery.objects.get().round_id == planned.pk

    def test_an_editor_removed_before_the_sending_is_not_written_to(
        self, invited, smtp_server, django_capture_on_commit_callbacks, caplog
    ):
        queue_invitations()  # queued; the sending scheduled after commit does not run
        revoke_editor(invited.editor, invited.invited)
        invited.editor_fr.is_active = False
        invited.editor_fr.save()
        with caplog.at_level(logging.ERROR, logger="follows.mail"):
            assert send_many(Delivery.objects.order_by("pk")) == 0
        assert smtp_server.messages == []
        for delivery in Delivery.objects.all():
            assert delivery.state == DeliveryState.GAVE_UP
            assert delivery.next_attempt_at is None
            assert "not sent" in delivery.last_error
        # Withheld by design, not a renderer's error: nothing logged for the operators.
        assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []

    def test_a_round_closed_before_the_sending_sends_nothing(self, invited, smtp_server):
        queue_invitations()
        change_round_state(invited.round, "closed")
        assert send_many(Delivery.objects.order_by("pk")) == 0
        assert smtp_server.messages == []

    def test_a_pass_with_nothing_new_costs_the_same_whatever_the_number_of_editors(self, invited):
        queue_invitations()

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert queue_invitations() == 0
            return len(captured)

        few = queries()
        for index in range(6):
            organization = OrganizationFactory()
            invited.round.invited.add(organization)
            grant_editor(UserFactory(username=f"editor{index}"), organization)
        invited.round.save_revision().publish()
        queue_invitations()
        assert queries() == few


class TestEditors:
    def test_the_editors_of_many_organizations_follow_editors_of(self, invited):
        """The bulk reading of the grants names whom `editors_of` names, group grants too,
        and no superuser who was given nothing."""
        group = Group.objects.create(name="Board of the second organization")
        member = UserFactory(username="member")
        member.groups.add(group)
        assign_perm("organizations.change_organization", group, invited.invited_fr)
        UserFactory(username="root", is_superuser=True)
        organizations = [invited.invited, invited.invited_fr, invited.not_invited]
        editors = editors_by_organization([o.pk for o in organizations])
        for organization in organizations:
            assert editors[organization.pk] == {u.pk for u in editors_of(organization)}
        assert member.pk in editors[invited.invited_fr.pk]


class TestReminders:
    def test_only_the_editors_of_organizations_without_a_brief_are_reminded(
        self, invited, smtp_server, run_on_commit
    ):
        today = invited.round.closes_on - datetime.timedelta(days=2)
        submit_brief(
            invited.round,
            invited.invited,
            invited.editor,
            title="Our brief",
            summary="We ask for core funding.",
            today=timezone.localdate(),
        )
        with run_on_commit():
            assert queue_reminders(today=today) == 1
        assert [m["To"] for m in smtp_server.messages] == [invited.editor_fr.email]
        delivery = Delivery.objects.get()
        assert delivery.kind == DeliveryKind.REMINDER
        assert delivery.key == f"reminder:{invited.round.pk}:{invited.editor_fr.pk}"
        with run_on_commit():
            assert queue_reminders(today=today) == 0
        assert len(smtp_server.messages) == 1

    def test_the_reminder_says_the_deadline_and_the_link_in_french(
        self, invited, smtp_server, run_on_commit
    ):
        round_page = invited.round
        round_page.closes_on = timezone.localdate() + datetime.timedelta(days=2)
        round_page.save_revision().publish()
        with run_on_commit():
            assert queue_reminders() == 2
        [message] = smtp_server.to(invited.editor_fr.email)
        with translation.override("fr"):
            deadline = date_format(round_page.closes_on)
        assert deadline in message["Subject"]
        assert deadline in body(message)
        assert any("/fr/" in url and url.endswith("/submit/") for url in urls(body(message)))

    def test_no_reminder_before_the_window(self, invited, settings):
        assert invited.round.closes_on - timezone.localdate() > datetime.timedelta(days=3)
        assert queue_reminders() == 0
        settings.FOLLOWS_REMINDER_DAYS = 30
        assert queue_reminders() == 2

    def test_a_brief_sent_after_the_reminder_was_queued_stops_it(
        self, invited, smtp_server, django_capture_on_commit_callbacks
    ):
        queue_reminders(today=invited.round.closes_on)
        submit_brief(
            invited.round,
            invited.invited,
            invited.editor,
            title="Our brief",
            summary="Late but here.",
        )
        send_many(Delivery.objects.order_by("pk"))
        assert [m["To"] for m in smtp_server.messages] == [invited.editor_fr.email]


@pytest.fixture
def steward(invited):
    user = UserFactory(username="steward")
    grant_steward(user, invited.round)
    return user


class TestPause:
    def test_a_paused_round_queues_its_invitations_held_and_resume_sends_them(
        self, invited, steward, smtp_server, run_on_commit
    ):
        pause(invited.round, steward)
        with run_on_commit():
            assert queue_invitations() == 2
        assert smtp_server.messages == []
        assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.HELD}
        # A pass while paused neither sends nor queues again.
        with run_on_commit():
            assert queue_invitations() == 0
        with run_on_commit():
            assert resume(invited.round, steward) == 2
        assert len(smtp_server.messages) == 2
        assert not PausedRound.objects.exists()

    def test_pausing_holds_the_e_mails_already_waiting(
        self, invited, steward, smtp_server, django_capture_on_commit_callbacks
    ):
        queue_invitations()  # queued, not sent yet
        french_round = invited.round.get_translation(
            invited.round.locale.__class__.objects.get(language_code="fr")
        )
        pause(french_round.specific, steward)  # from the French page: the same record
        assert PausedRound.objects.get().round_id == invited.round.pk
        assert send_many(Delivery.objects.all()) == 0
        assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.HELD}

    @pytest.mark.parametrize("who", ["editor", "outsider", "anonymous", "other steward"])
    def test_only_the_round_staff_pause_and_resume(self, invited, steward, make_round, who):
        if who == "anonymous":
            user = AnonymousUser()
        elif who == "other steward":
            user = UserFactory(username="elsewhere")
            other = make_round(invited.version.get_parent().specific, title="Other round")
            grant_steward(user, other)
        else:
            user = getattr(invited, who)
        with pytest.raises(PermissionDenied):
            pause(invited.round, user)
        assert not PausedRound.objects.exists()
        pause(invited.round, steward)
        with pytest.raises(PermissionDenied):
            resume(invited.round, user)
        assert PausedRound.objects.exists()

    def test_a_superuser_pauses(self, invited):
        root = UserFactory(username="root", is_superuser=True)
        pause(invited.round, root)
        assert PausedRound.objects.get().paused_by == root


class TestAdminScreen:
    def url(self, invited) -> str:
        return reverse("follows_round_invitations", args=[invited.round.pk])

    def test_the_steward_sees_the_queue_and_pauses_then_resumes(
        self, client, invited, steward, run_on_commit
    ):
        queue_invitations()
        client.force_login(steward)
        page = client.get(self.url(invited))
        assert page.status_code == 200
        assert invited.editor.email in page.content.decode()
        assert client.post(self.url(invited), {"action": "pause"}).status_code == 302
        assert PausedRound.objects.filter(round=invited.round).exists()
        with run_on_commit():
            assert client.post(self.url(invited), {"action": "resume"}).status_code == 302
        assert not PausedRound.objects.exists()

    def test_the_round_page_in_the_admin_has_the_button_for_the_steward(
        self, client, invited, steward
    ):
        client.force_login(steward)
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[invited.round.pk]))
        assert self.url(invited) in edit.content.decode()

    def test_a_bad_action_is_a_400_naming_the_field(self, client, invited, steward):
        client.force_login(steward)
        response = client.post(self.url(invited), {"action": "explode"})
        assert response.status_code == 400
        assert "action" in response.content.decode()
        assert not PausedRound.objects.exists()

    def test_an_editor_of_an_invited_organization_is_refused(self, client, invited):
        client.force_login(invited.editor)
        assert client.get(self.url(invited)).status_code in (302, 403)
        assert client.post(self.url(invited), {"action": "pause"}).status_code in (302, 403)
        assert not PausedRound.objects.exists()
