"""`manage.py notify`: one pass of detection, invitations and sending."""

import io

import pytest
from django.core.management import CommandError, call_command

from follows.models import Cadence
from tests.factories import OrganizationFactory
from tests.follows.send_fixtures import notice, reader

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_one_pass_sends_what_is_due(smtp_server):
    someone = reader("now@example.org", cadence=Cadence.IMMEDIATE)
    notice(someone, f"organization:{OrganizationFactory(name='Table régionale').pk}")
    out = io.StringIO()

    call_command("notify", stdout=out)

    assert "sent: 1" in out.getvalue()
    [message] = smtp_server.messages
    assert message["To"] == "now@example.org"
    assert "Table régionale" in message["Subject"]


def test_every_needs_a_positive_number_of_seconds():
    with pytest.raises(CommandError, match="--every"):
        call_command("notify", every=0)
