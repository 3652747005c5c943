"""Fixtures shared by the consultation tests."""

import datetime

import pytest

from consultations.services.rounds import change_round_state
from tests.consultations.test_rounds import add_round
from tests.factories import publish_policy_version


@pytest.fixture
def open_round(home_page):
    """A round open from May 2000 until far in the future, on a one-version policy."""
    policy = publish_policy_version(home_page, "Consultation document", "x").get_parent()
    round_page = add_round(
        policy.specific, opens_on=datetime.date(2000, 5, 1), closes_on=datetime.date(2999, 6, 30)
    )
    change_round_state(round_page, "open")
    return round_page
