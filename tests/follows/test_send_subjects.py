"""`follows.subjects.describe`: any number of records in a fixed number of queries, their
titles and absolute addresses, and "published" false for whatever is not on the public
record (a draft allocation, an unpublished version, a record that does not exist)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from consultations.fora.models import Meeting
from follows.subjects import describe
from organizations.funding.models import Programme, ProgrammeBudget
from organizations.funding.services import record_allocation
from tests.factories import ForumFactory, OrganizationFactory, UserFactory, publish_policy_version

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SITE = "https://concertation.example"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = SITE


def allocation(status: str):
    funder = OrganizationFactory()
    programme = Programme.objects.create(
        name=f"Programme {status}",
        slug=f"programme-{status}",
        funder=funder,
        first_fiscal_year=2000,
    )
    ProgrammeBudget.objects.create(programme=programme, fiscal_year=2001, amount=Decimal(10**6))
    return record_allocation(
        UserFactory(is_superuser=True),
        organization=OrganizationFactory(),
        programme=programme,
        fiscal_year=2001,
        amount=Decimal(1000),
        mode="project",
        status=status,
    )


def subjects_of(count: int) -> list[str]:
    organizations = OrganizationFactory.create_batch(count)
    forum = ForumFactory()
    meetings = [
        Meeting.objects.create(
            forum=forum, held_on=datetime.date(2001, 1, day + 1), duration_hours=2, mode="online"
        )
        for day in range(count)
    ]
    return [f"organization:{o.pk}" for o in organizations] + [f"meeting:{m.pk}" for m in meetings]


def test_the_queries_do_not_grow_with_the_number_of_records():
    few, many = subjects_of(2), subjects_of(20)
    with CaptureQueriesContext(connection) as for_few:
        assert len(describe(few)) == 4
    with CaptureQueriesContext(connection) as for_many:
        assert len(describe(many)) == 40
    assert len(for_few) == len(for_many)


def test_titles_and_absolute_addresses_in_the_active_language():
    organization = OrganizationFactory(name="Centre des femmes")
    key = f"organization:{organization.pk}"
    english = describe([key])[key]
    assert english.title == "Centre des femmes"
    assert english.url == f"{SITE}/organizations/{organization.slug}/"
    assert english.published and english.readers is None
    with translation.override("fr"):
        french = describe([key])[key]
    assert french.url.startswith(f"{SITE}/fr/")


def test_only_a_published_allocation_is_published():
    draft, approved, published = (
        allocation("draft"),
        allocation("approved"),
        allocation("published"),
    )
    keys = [f"allocation:{a.pk}" for a in (draft, approved, published)]
    described = describe(keys)
    assert [described[key].published for key in keys] == [False, False, True]


def test_unpublished_missing_and_unknown_records_are_not_published(home_page):
    version = publish_policy_version(home_page, "Version one", "text")
    version.unpublish()
    keys = [f"policy_version:{version.pk}", "organization:999999", "nonsense:1", "organization:x"]
    described = describe(keys)
    assert not any(described[key].published for key in keys)


def test_a_restricted_record_names_its_readers(home_page):
    from wagtail.models import PageViewRestriction

    version = publish_policy_version(home_page, "Members only", "text")
    PageViewRestriction.objects.create(page=version, restriction_type=PageViewRestriction.LOGIN)
    key = f"policy_version:{version.pk}"
    subject = describe([key])[key]
    assert subject.published
    assert subject.readers is not None
    assert "login" in subject.readers
