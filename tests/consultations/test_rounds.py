"""Consultation rounds: the lifecycle, opening and closing on their dates, the admin
screen and its permissions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from consultations.models import ConsultationRoundPage, PolicyPage, ResponsePoint, RoundState
from consultations.permissions.stewardship import grant_steward
from consultations.services.rounds import StateChangeRefused, advance_due_rounds, change_round_state
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = pytest.mark.django_db

OPENS = datetime.date(2000, 5, 1)
CLOSES = datetime.date(2000, 6, 30)


@pytest.fixture
def policy(home_page) -> PolicyPage:
    return publish_policy_version(home_page, "Consultation document", "x").get_parent().specific


def add_round(policy: PolicyPage, title: str = "Public consultation 2000", **fields):
    defaults = {"kind": "public_consultation", "opens_on": OPENS, "closes_on": CLOSES}
    round_page = policy.add_child(
        instance=ConsultationRoundPage(title=title, **{**defaults, **fields})
    )
    round_page.save_revision().publish()
    return ConsultationRoundPage.objects.get(pk=round_page.pk)


class TestLifecycle:
    def test_goes_forward_one_step_at_a_time(self, policy):
        round_page = add_round(policy, report="<p>What we heard.</p>")
        for state in ("open", "closed", "report_published"):
            change_round_state(round_page, state)
            assert round_page.state == state
        ResponsePoint.objects.create(round=round_page, said="Fund the mission.", response="Yes.")
        change_round_state(round_page, "response_published")
        assert round_page.state == "response_published"

    def test_the_report_is_required_before_it_is_published(self, policy):
        round_page = add_round(policy)
        change_round_state(round_page, "open")
        change_round_state(round_page, "closed")
        with pytest.raises(ValidationError) as refused:
            change_round_state(round_page, "report_published")
        assert "report" in refused.value.message_dict
        assert ConsultationRoundPage.objects.get(pk=round_page.pk).state == "closed"

    def test_the_response_needs_a_point_before_it_is_published(self, policy):
        round_page = add_round(policy, report="<p>What we heard.</p>")
        for state in ("open", "closed", "report_published"):
            change_round_state(round_page, state)
        with pytest.raises(ValidationError) as refused:
            change_round_state(round_page, "response_published")
        assert "response_points" in refused.value.message_dict
        assert ConsultationRoundPage.objects.get(pk=round_page.pk).state == "report_published"

    def test_publishing_the_report_dates_it_today_unless_dated(self, policy):
        round_page = add_round(policy, report="<p>What we heard.</p>")
        for state in ("open", "closed", "report_published"):
            change_round_state(round_page, state)
        assert round_page.report_date == timezone.localdate()

        dated = add_round(
            policy, "Dated", report="<p>Heard.</p>", report_date=datetime.date(2000, 11, 15)
        )
        for state in ("open", "closed", "report_published"):
            change_round_state(dated, state)
        assert dated.report_date == datetime.date(2000, 11, 15)

    def test_a_skipped_state_is_refused_with_the_allowed_ones_listed(self, policy):
        round_page = add_round(policy)
        with pytest.raises(StateChangeRefused) as refused:
            change_round_state(round_page, "closed")
        assert "allowed next states: Open, Abandoned" in refused.value.messages[0]
        assert ConsultationRoundPage.objects.get(pk=round_page.pk).state == "planned"

    def test_can_be_abandoned_before_the_report_with_a_reason(self, policy):
        round_page = add_round(policy, kind="working_group")
        change_round_state(round_page, "open")
        with pytest.raises(ValidationError) as refused:
            change_round_state(round_page, "abandoned")
        assert "reason" in refused.value.message_dict

        change_round_state(round_page, "abandoned", reason="No progress after six months.")
        assert round_page.abandoned_reason == "No progress after six months."

    def test_cannot_be_abandoned_after_the_report(self, policy):
        round_page = add_round(policy, report="<p>What we heard.</p>")
        for state in ("open", "closed", "report_published"):
            change_round_state(round_page, state)
        with pytest.raises(StateChangeRefused):
            change_round_state(round_page, "abandoned", reason="Too late.")

    def test_a_round_cannot_close_before_it_opens(self, policy):
        from django.db import IntegrityError, transaction

        with pytest.raises((IntegrityError, ValidationError)), transaction.atomic():
            add_round(policy, closes_on=OPENS - datetime.timedelta(days=1))

    def test_the_state_is_not_a_form_field(self):
        assert not ConsultationRoundPage._meta.get_field("state").editable


class TestOpeningAndClosingOnTheirDates:
    def test_nothing_happens_before_the_opening_day(self, policy):
        round_page = add_round(policy)
        assert advance_due_rounds(OPENS - datetime.timedelta(days=1)) == {"opened": 0, "closed": 0}
        round_page.refresh_from_db()
        assert round_page.state == "planned"

    def test_opens_on_its_day_and_closes_after_its_last_day(self, policy):
        round_page = add_round(policy)

        assert advance_due_rounds(OPENS) == {"opened": 1, "closed": 0}
        round_page.refresh_from_db()
        assert round_page.state == "open"
        assert round_page.accepts_submissions(CLOSES)

        assert advance_due_rounds(CLOSES) == {"opened": 0, "closed": 0}
        assert advance_due_rounds(CLOSES + datetime.timedelta(days=1)) == {
            "opened": 0,
            "closed": 1,
        }
        round_page.refresh_from_db()
        assert round_page.state == "closed"
        assert not round_page.accepts_submissions(CLOSES)

    def test_the_daily_command(self, policy, capsys):
        add_round(policy, opens_on=datetime.date(2000, 1, 1), closes_on=datetime.date(2999, 1, 1))
        call_command("advance_rounds")
        assert "Opened 1 round(s), closed 0." in capsys.readouterr().out

    def test_the_daily_task_runs_the_same(self, policy):
        from consultations.tasks import advance_rounds_daily

        add_round(policy, opens_on=datetime.date(2000, 1, 1), closes_on=datetime.date(2999, 1, 1))
        result = advance_rounds_daily.enqueue()
        assert result.return_value == {"opened": 1, "closed": 0}

    def test_days_left_counts_today(self, policy):
        round_page = add_round(policy)
        assert round_page.days_left(CLOSES) == 1
        assert round_page.days_left(CLOSES - datetime.timedelta(days=9)) == 10
        assert round_page.days_left(CLOSES + datetime.timedelta(days=1)) is None


class TestPublicPages:
    def test_the_round_page_shows_its_deadline(self, client, policy):
        round_page = add_round(
            policy,
            opens_on=datetime.date(2000, 1, 1),
            closes_on=datetime.date(2999, 12, 31),
            convenor=OrganizationFactory(name="Ministère de la Solidarité sociale"),
        )
        change_round_state(round_page, "open")

        body = client.get(round_page.url).content.decode()

        assert 'datetime="2999-12-31"' in body
        assert "days left" in body
        assert "Ministère de la Solidarité sociale" in body

    def test_the_policy_page_lists_its_rounds(self, client, policy):
        add_round(policy, title="Working group on partnership", kind="working_group")

        body = client.get(policy.url).content.decode()

        assert "Working group on partnership" in body


class TestAdminStateScreen:
    @pytest.fixture
    def staff_for(self):
        def make(page, username: str):
            user = UserFactory(username=username)
            grant_steward(user, page)
            return user

        return make

    def test_staff_given_the_policy_change_the_state_of_its_rounds(self, client, policy, staff_for):
        round_page = add_round(policy)
        client.force_login(staff_for(policy, "policy-staff"))

        url = f"/admin/consultations/rounds/{round_page.pk}/state/"
        assert client.get(url).status_code == 200
        response = client.post(url, {"new_state": "open", "reason": ""})

        assert response.status_code == 302
        round_page.refresh_from_db()
        assert round_page.state == "open"

    def test_staff_of_another_policy_are_refused(self, client, policy, home_page, staff_for):
        round_page = add_round(policy)
        other_policy = policy.get_parent().add_child(instance=PolicyPage(title="Another policy"))
        client.force_login(staff_for(other_policy, "other-staff"))

        response = client.post(
            f"/admin/consultations/rounds/{round_page.pk}/state/", {"new_state": "open"}
        )

        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        round_page.refresh_from_db()
        assert round_page.state == "planned"

    def test_a_state_out_of_order_is_refused_with_a_clear_message(self, client, policy, staff_for):
        round_page = add_round(policy)
        client.force_login(staff_for(policy, "hasty-staff"))

        response = client.post(
            f"/admin/consultations/rounds/{round_page.pk}/state/", {"new_state": "closed"}
        )

        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        round_page.refresh_from_db()
        assert round_page.state == "planned"

    def test_abandoning_without_a_reason_names_the_field(self, client, policy, staff_for):
        round_page = add_round(policy)
        client.force_login(staff_for(policy, "abandoning-staff"))

        response = client.post(
            f"/admin/consultations/rounds/{round_page.pk}/state/",
            {"new_state": "abandoned", "reason": ""},
        )

        assert response.status_code == 200
        assert response.context["form"].errors["reason"]
        round_page.refresh_from_db()
        assert round_page.state == "planned"


def test_round_states_are_the_documented_lifecycle():
    assert list(RoundState.values) == [
        "planned",
        "open",
        "closed",
        "report_published",
        "response_published",
        "abandoned",
    ]
