"""Data of the subscription tests (loaded with `pytest_plugins`): a published policy
and a round on it."""

import pytest

import follows.subscription_mail  # noqa: F401 - the CONFIRMATION renderer
from consultations.models import PolicyPage
from tests.consultations.test_rounds import add_round
from tests.factories import publish_policy_version


@pytest.fixture
def policy(home_page) -> PolicyPage:
    version = publish_policy_version(home_page, "Draft policy, version 1", "x")
    return version.get_parent().specific


@pytest.fixture
def round_page(policy):
    return add_round(policy, title="Public consultation")
