"""The signed links of the follows (issue #16, the subscribe part): a forged, expired,
revoked, replayed or other-purpose token gets a clear 400 page and changes nothing; one
subscriber's token never touches another subscriber."""

import time
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from follows import services
from follows.models import Follow, Subscriber
from follows.tokens import BadToken, make_token, read_token

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def subscriber(email: str = "reader@example.org", **fields) -> Subscriber:
    return Subscriber.objects.create(email=email, **fields)


def made_ago(seconds: int, reader: Subscriber, purpose: str) -> str:
    """A token of `purpose` made `seconds` ago (as if its e-mail was sent then)."""
    with mock.patch("time.time", return_value=time.time() - seconds):
        return make_token(reader, purpose)


def confirm_path(token: str) -> str:
    return reverse("follows_confirm", kwargs={"token": token})


class TestReadToken:
    def test_a_token_reads_back_as_its_subscriber_for_its_purpose_only(self):
        reader = subscriber()
        for purpose in ("confirm", "unsubscribe", "manage"):
            assert read_token(make_token(reader, purpose), purpose) == reader
        with pytest.raises(BadToken):
            read_token(make_token(reader, "unsubscribe"), "manage")
        with pytest.raises(BadToken):
            read_token(make_token(reader, "manage"), "confirm")

    def test_a_forged_token_is_refused(self):
        reader, other = subscriber(), subscriber("other@example.org")
        token = make_token(reader, "manage")
        value, _sep, signature = token.rpartition(":")
        forged = token.replace(f"{reader.pk}.", f"{other.pk}.", 1)
        for bad in (forged, value + ":" + "A" * len(signature), "", "garbage", token[:-1]):
            with pytest.raises(BadToken):
                read_token(bad, "manage")

    def test_a_token_signed_by_another_key_is_refused(self):
        reader = subscriber()
        foreign = signing.TimestampSigner(key="another-secret", salt="follows.tokens.manage")
        with pytest.raises(BadToken):
            read_token(foreign.sign(f"{reader.pk}.{reader.token_version}"), "manage")

    def test_raising_the_version_revokes_every_earlier_link(self):
        reader = subscriber()
        tokens = {purpose: make_token(reader, purpose) for purpose in ("manage", "unsubscribe")}
        services.revoke_links(reader)
        for purpose, token in tokens.items():
            with pytest.raises(BadToken, match="no longer valid"):
                read_token(token, purpose)
        assert read_token(make_token(reader, "manage"), "manage") == reader

    def test_a_confirmation_token_expires_after_the_setting(self, settings):
        settings.FOLLOWS_CONFIRM_HOURS = 2
        reader = subscriber()
        assert read_token(made_ago(3600, reader, "confirm"), "confirm") == reader
        with pytest.raises(BadToken, match="expired"):
            read_token(made_ago(2 * 3600 + 5, reader, "confirm"), "confirm")
        # The unsubscribe link keeps working: one-click must work from an old e-mail.
        old = made_ago(3600 * 24 * 365, reader, "unsubscribe")
        assert read_token(old, "unsubscribe") == reader


class TestPages:
    def test_an_expired_confirmation_link_answers_400_and_changes_nothing(self, client, settings):
        settings.FOLLOWS_CONFIRM_HOURS = 1
        reader = subscriber()
        token = made_ago(7200, reader, "confirm")
        for answer in (client.get(confirm_path(token)), client.post(confirm_path(token))):
            assert answer.status_code == 400
            assert "expired" in answer.content.decode()
            assert "Subscribe again" in answer.content.decode()
        assert Subscriber.objects.get().confirmed_at is None

    def test_forged_links_answer_400_on_every_page(self, client):
        reader = subscriber(confirmed_at=timezone.now())
        Follow.objects.create(subscriber=reader, kind="listing", target="listing:open_rounds")
        for name in ("follows_confirm", "follows_manage", "follows_unsubscribe"):
            path = reverse(name, kwargs={"token": f"{reader.pk}.1:forged:signature"})
            for answer in (client.get(path), client.post(path, {"action": "unsubscribe"})):
                assert answer.status_code == 400, (name, answer.status_code)
                assert "not valid" in answer.content.decode()
        reader.refresh_from_db()
        assert reader.unsubscribed_at is None and reader.follows.count() == 1

    def test_a_revoked_link_answers_400(self, client):
        reader = subscriber(confirmed_at=timezone.now())
        path = reverse("follows_unsubscribe", kwargs={"token": make_token(reader, "unsubscribe")})
        services.revoke_links(reader)
        answer = client.post(path)
        assert answer.status_code == 400
        assert "most recent e-mail" in answer.content.decode()
        assert Subscriber.objects.get().unsubscribed_at is None

    def test_a_manage_link_cannot_unfollow_another_subscriber_s_follow(self, client):
        mine = subscriber(confirmed_at=timezone.now())
        theirs = subscriber("other@example.org", confirmed_at=timezone.now())
        their_follow = Follow.objects.create(
            subscriber=theirs, kind="listing", target="listing:open_rounds"
        )
        path = reverse("follows_manage", kwargs={"token": make_token(mine, "manage")})

        answer = client.post(path, {"action": "unfollow", "follow": their_follow.pk})

        assert answer.status_code == 302
        assert Follow.objects.filter(pk=their_follow.pk).exists()
        page = client.get(path).content.decode()
        assert "other@example.org" not in page

    def test_a_token_for_one_purpose_does_not_open_another_page(self, client):
        reader = subscriber(confirmed_at=timezone.now())
        unsubscribe_token = make_token(reader, "unsubscribe")
        answer = client.get(reverse("follows_manage", kwargs={"token": unsubscribe_token}))
        assert answer.status_code == 400
        assert "reader@example.org" not in answer.content.decode()
