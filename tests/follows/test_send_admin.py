"""The admin's "E-mails" screen: staff with `follows.view_delivery` (or superusers) see the
queue, what was sent, bounces and suspended addresses, send a stuck e-mail again and
lift a suspension; other staff are refused and change nothing."""

import pytest
from django.contrib.auth.models import Permission
from django.db.models import Q

from follows.models import Delivery, DeliveryKind, DeliveryState, Notice, NoticeState
from follows.sending import send_due
from tests.factories import OrganizationFactory, UserFactory
from tests.follows.send_fixtures import NOW, notice, reader

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

EMAILS_URL = "/admin/follows/emails/"


def staff(with_permission: bool):
    user = UserFactory()
    wanted = Q(content_type__app_label="wagtailadmin", codename="access_admin")
    if with_permission:
        wanted |= Q(content_type__app_label="follows", codename="view_delivery")
    user.user_permissions.add(*Permission.objects.filter(wanted))
    return user


@pytest.fixture
def stuck():
    """A digest a crash left sending, with the notice it carries."""
    someone = reader("stuck@example.org")
    delivery = Delivery.objects.create(
        key="digest:stuck",
        kind=DeliveryKind.DIGEST,
        state=DeliveryState.SENDING,
        attempts=1,
        subscriber=someone,
        email=someone.email,
        language="en",
    )
    carried = notice(someone, f"organization:{OrganizationFactory().pk}")
    Notice.objects.filter(pk=carried.pk).update(state=NoticeState.SENT, delivery=delivery)
    return delivery


def test_staff_with_the_permission_see_the_queue_and_the_menu_item(client, stuck):
    client.force_login(staff(with_permission=True))

    response = client.get(EMAILS_URL)

    assert response.status_code == 200
    assert response.context["deliveries"] == [stuck]
    content = response.content.decode()
    assert "stuck@example.org" in content
    assert "Send again" in content
    assert EMAILS_URL in client.get("/admin/").content.decode()


def test_superusers_see_every_tab(client, stuck):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for tab in ("queue", "sent", "problems", "suspended", "nonsense"):
        assert client.get(EMAILS_URL, {"show": tab}).status_code == 200


def test_staff_without_the_permission_are_refused_and_nothing_changes(client, stuck):
    client.force_login(staff(with_permission=False))

    get = client.get(EMAILS_URL)
    post = client.post(EMAILS_URL, {"action": "send_again", "pk": stuck.pk})

    for response in (get, post):
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    stuck.refresh_from_db()
    assert stuck.state == DeliveryState.SENDING
    assert EMAILS_URL not in client.get("/admin/").content.decode()


def test_send_again_sends_a_stuck_email(client, stuck, smtp_server, run_on_commit):
    client.force_login(staff(with_permission=True))

    with run_on_commit():
        response = client.post(EMAILS_URL, {"action": "send_again", "pk": stuck.pk})

    assert response.status_code == 302
    stuck.refresh_from_db()
    assert stuck.state == DeliveryState.SENT
    assert [message["To"] for message in smtp_server.messages] == ["stuck@example.org"]


def test_a_sent_email_is_not_sent_again(client, smtp_server, run_on_commit):
    someone = reader()
    notice(someone, f"organization:{OrganizationFactory().pk}")
    send_due(NOW)
    sent = Delivery.objects.get()
    client.force_login(staff(with_permission=True))

    with run_on_commit():
        client.post(EMAILS_URL, {"action": "send_again", "pk": sent.pk})
        client.post(EMAILS_URL, {"action": "send_again", "pk": "x"})

    assert len(smtp_server.messages) == 1


def test_lifting_a_suspension(client):
    someone = reader("bounced@example.org")
    someone.suspended_at = NOW
    someone.bounce_count = 3
    someone.save()
    client.force_login(staff(with_permission=True))
    assert "bounced@example.org" in client.get(EMAILS_URL, {"show": "suspended"}).content.decode()

    client.post(EMAILS_URL, {"action": "lift", "pk": someone.pk})

    someone.refresh_from_db()
    assert (someone.suspended_at, someone.bounce_count) == (None, 0)
    assert someone.is_receiving


def test_sent_again_a_digest_whose_records_were_unpublished_is_given_up(
    client, smtp_server, run_on_commit, home_page
):
    """A stuck digest is checked again when sent again: its only record was unpublished
    meanwhile, so it is given up, never sent."""
    from tests.factories import publish_policy_version

    version = publish_policy_version(home_page, "Version one", "text")
    someone = reader()
    notice(someone, f"policy_version:{version.pk}")
    send_due(NOW)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.SENDING)
    smtp_server.messages.clear()
    version.unpublish()
    client.force_login(staff(with_permission=True))

    with run_on_commit():
        client.post(EMAILS_URL, {"action": "send_again", "pk": delivery.pk})

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.GAVE_UP
    assert "any more" in delivery.last_error
    assert smtp_server.messages == []
