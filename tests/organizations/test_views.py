"""Public catalogue pages: content, languages and query counts."""

import pytest

from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_profile_shows_the_organization_in_the_visitor_language(client):
    organization = OrganizationFactory(
        name="Coop santé", summary_en="A health co-operative.", summary_fr="Une coop de santé."
    )

    english = client.get(organization.get_absolute_url()).content.decode()
    french = client.get(f"/fr{organization.get_absolute_url()}").content.decode()

    assert "A health co-operative." in english
    assert "Une coop de santé." in french
    assert organization.region.name_fr in french


def test_list_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    OrganizationFactory.create_batch(30)
    with django_assert_max_num_queries(4):
        response = client.get("/organizations/")
    assert len(response.context["page_obj"]) == 25


def test_profile_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    organization = OrganizationFactory()
    with django_assert_num_queries(1):
        client.get(organization.get_absolute_url())


def test_unknown_profile_is_a_404(client):
    assert client.get("/organizations/no-such-organization/").status_code == 404
