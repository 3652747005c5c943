"""Detection makes notices without asking who may read the record: a brief in a private
round reaches the notices of everyone following its organization. This tries to make it
leak, from detection through the e-mail: the address that may not open the round is
never told of it, the member of the group that may is."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from consultations.services.rounds import change_round_state
from follows.models import Cadence, NoticeState
from follows.sending import notify_once
from tests.factories import UserFactory, publish_policy_version
from tests.follows.detect_fixtures import reader, told
from tests.follows.test_detect_happenings import open_round, send_brief

pytestmark = pytest.mark.django_db


def test_a_brief_of_a_private_round_is_told_only_to_those_who_may_open_it(home_page, smtp_server):
    version = publish_policy_version(home_page, "Community action policy", "x")
    round_page = open_round(version.get_parent().specific, title="Private working group")
    members = Group.objects.create(name="Working group members")
    restriction = PageViewRestriction.objects.create(
        page=round_page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(members)
    brief = send_brief(round_page, "Confidential housing brief")
    target = f"organization:{brief.organization_id}"
    outsider = reader("outsider@example.org", target, cadence=Cadence.IMMEDIATE)
    member = UserFactory(username="member", email="member@example.org")
    member.groups.add(members)
    insider = reader("member@example.org", target, user=member, cadence=Cadence.IMMEDIATE)
    change_round_state(round_page, "closed")

    notify_once()

    subject = ("published", f"submission:{brief.pk}")
    assert subject in told(outsider)
    assert outsider.notices.get(subject=subject[1]).state == NoticeState.WITHHELD
    assert insider.notices.get(subject=subject[1]).state == NoticeState.SENT
    assert smtp_server.to("outsider@example.org") == []
    (message,) = smtp_server.to("member@example.org")
    assert "Confidential housing brief" in message.get_body(("plain",)).get_content()
    for sent in smtp_server.messages:
        if sent["To"] != "member@example.org":
            assert "Confidential housing brief" not in sent.as_string()
