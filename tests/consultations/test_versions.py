"""Policy versions: statuses, fixed text once released, pre-publication access, diffs."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from consultations.diff import diff_versions, diff_words
from consultations.models import PolicyVersionPage, VersionAccess
from organizations.models import OrganizationKind
from tests.factories import OrganizationFactory, publish_policy_version

pytestmark = pytest.mark.django_db

RELEASE = datetime.date(2000, 4, 15)


class TestReleasedTextIsFixed:
    def test_the_text_of_a_released_version_cannot_be_edited(self, home_page):
        version = publish_policy_version(home_page, "Consultation document", "Original text.")
        version.body = [
            ("section", {"anchor": "1", "heading": "Scope", "text": "<p>Quietly rewritten.</p>"})
        ]
        with pytest.raises(ValidationError) as refused:
            version.save()
        assert "body" in refused.value.message_dict

    def test_its_status_can_still_move_on(self, home_page):
        version = publish_policy_version(home_page, "Consultation document", "Text.")
        version.status = "under_consultation"
        version.save()
        version.status = "superseded"
        version.save()
        assert PolicyVersionPage.objects.get(pk=version.pk).status == "superseded"

    def test_an_internal_version_can_be_edited(self, home_page):
        version = publish_policy_version(home_page, "Working draft", "Text.", status="internal")
        version.summary_of_changes = "Reworded."
        version.save()

    def test_a_released_version_needs_a_release_date(self, home_page):
        version = publish_policy_version(home_page, "Draft", "Text.", status="internal")
        version.status = "released"
        with pytest.raises(ValidationError) as refused:
            version.full_clean()
        assert "release_date" in refused.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            PolicyVersionPage.objects.filter(pk=version.pk).update(status="released")

    def test_two_versions_of_a_policy_cannot_share_a_number(self, home_page):
        first = publish_policy_version(home_page, "First", "Text.", number=1)
        second = publish_policy_version(home_page, "Second", "Text.", number=2)
        assert not second.number_taken(first.get_parent())
        second.number = 1
        assert second.number_taken(first.get_parent())


class TestInternalVersions:
    def test_are_not_served_to_visitors(self, client, home_page):
        version = publish_policy_version(home_page, "Internal draft", "Secret.", status="internal")
        assert client.get(version.url).status_code == 404

    def test_are_served_to_their_editors(self, client, home_page, django_user_model):
        version = publish_policy_version(home_page, "Internal draft", "Secret.", status="internal")
        client.force_login(django_user_model.objects.create_superuser("s", "s@e.org", "pw"))
        assert client.get(version.url).status_code == 200

    def test_never_reach_the_home_page_or_search(self, client, home_page, settings):
        settings.ELASTICSEARCH_URL = ""
        publish_policy_version(
            home_page, "Internal draft", "x", status="internal", summary_of_changes="secretive"
        )
        assert "Internal draft" not in client.get("/").content.decode()
        assert client.get("/search/", {"q": "secretive"}).context["results"].total == 0


class TestPrePublicationAccess:
    def test_days_before_release(self, home_page):
        version = publish_policy_version(home_page, "Consultation", "x", release_date=RELEASE)
        committee = OrganizationFactory(name="Comité aviseur")
        early = VersionAccess.objects.create(
            version=version, recipient=committee, received_on=datetime.date(2000, 3, 31)
        )
        late = VersionAccess.objects.create(
            version=version, recipient=committee, received_on=datetime.date(2000, 5, 1)
        )
        assert early.days_before_release == 15
        assert late.days_before_release is None

    def test_recorded_once(self, home_page):
        version = publish_policy_version(home_page, "Consultation", "x", release_date=RELEASE)
        committee = OrganizationFactory()
        VersionAccess.objects.create(version=version, recipient=committee, received_on=RELEASE)
        with pytest.raises(IntegrityError), transaction.atomic():
            VersionAccess.objects.create(version=version, recipient=committee, received_on=RELEASE)

    def test_the_policy_page_shows_whether_the_sector_saw_each_version(self, client, home_page):
        first = publish_policy_version(
            home_page, "First version", "x", number=1, release_date=datetime.date(1999, 6, 1)
        )
        second = publish_policy_version(
            home_page, "Consultation", "y", number=2, release_date=RELEASE
        )
        ministry = OrganizationFactory(name="Ministère", kind=OrganizationKind.GOVERNMENT)
        committee = OrganizationFactory(name="Comité aviseur")
        VersionAccess.objects.create(
            version=first, recipient=ministry, received_on=datetime.date(1999, 3, 1)
        )
        VersionAccess.objects.create(
            version=second, recipient=committee, received_on=datetime.date(2000, 3, 31)
        )

        response = client.get(first.get_parent().url)

        [first_row, second_row] = response.context["openness"]
        assert first_row.sector_lead_days is None  # only a ministry had it
        assert second_row.sector_lead_days == 15
        body = response.content.decode()
        assert "Not seen before release" in body
        assert "15 days before" in body

    def test_the_version_page_lists_who_saw_it(self, client, home_page):
        version = publish_policy_version(home_page, "Consultation", "x", release_date=RELEASE)
        VersionAccess.objects.create(
            version=version,
            recipient=OrganizationFactory(name="Comité aviseur"),
            received_on=datetime.date(2000, 4, 1),
        )

        body = client.get(version.url).content.decode()

        assert "Comité aviseur" in body
        assert "14 days before release" in body


class TestDiff:
    def test_words_inserted_and_deleted(self):
        runs = diff_words(
            "organizations respond to the government", "organizations set their mission"
        )
        assert [(run.change, run.text.strip()) for run in runs if run.change != "equal"] == [
            ("delete", "respond to the government"),
            ("insert", "set their mission"),
        ]

    def test_sections_matched_by_anchor(self, home_page):
        before = publish_policy_version(
            home_page,
            "1999",
            "x",
            number=1,
            sections=[
                ("1", "Scope", "All non-profit organizations."),
                ("2", "Expectations", "Respond to the government."),
                ("3", "Funding", "Unchanged text."),
            ],
        )
        after = publish_policy_version(
            home_page,
            "2001",
            "x",
            number=2,
            sections=[
                ("1", "Scope", "Autonomous community organizations."),
                ("3", "Funding", "Unchanged text."),
                ("4", "Advocacy", "Special provisions."),
            ],
        )

        sections = diff_versions(before, after)

        assert [(s.anchor, s.change) for s in sections] == [
            ("1", "changed"),
            ("2", "removed"),
            ("3", "unchanged"),
            ("4", "added"),
        ]

    def test_the_public_diff_page(self, client, home_page):
        before = publish_policy_version(home_page, "1999", "Respond to the government.", number=1)
        publish_policy_version(home_page, "2001", "Set their own mission.", number=2)

        response = client.get(f"{before.get_parent().url}compare/", {"from": 1, "to": 2})

        body = response.content.decode()
        assert response.status_code == 200
        assert "<del>Respond to the government.</del>" in body
        assert "<ins>Set their own mission.</ins>" in body

    @pytest.mark.parametrize(
        ("params", "parameter"),
        [
            ({"from": "x", "to": "2"}, "from"),
            ({"from": "1", "to": "9"}, "to"),
            ({"from": "1", "to": "1"}, "to"),
            ({"to": "2"}, "from"),
            ({"from": "1", "to": "3"}, "to"),
        ],
    )
    def test_bad_parameters_are_a_400_naming_them(self, client, home_page, params, parameter):
        first = publish_policy_version(home_page, "1999", "a", number=1)
        publish_policy_version(home_page, "2001", "b", number=2)
        publish_policy_version(home_page, "Internal", "c", number=3, status="internal")

        response = client.get(f"{first.get_parent().url}compare/", params)

        assert response.status_code == 400
        assert f"“{parameter}”" in response.content.decode()

    @pytest.mark.parametrize(
        ("querystring", "parameter"),
        [
            ("from=" + "9" * 5000 + "&to=2", "from"),
            ("from=2&from=x&to=1", "from"),
            ("from=1&to=", "to"),
            ("from=-1&to=2", "from"),
        ],
    )
    def test_garbage_is_a_400_naming_the_parameter_with_the_versions_to_choose(
        self, client, home_page, querystring, parameter
    ):
        first = publish_policy_version(home_page, "1999", "a", number=1)
        publish_policy_version(home_page, "2001", "b", number=2)

        response = client.get(f"{first.get_parent().url}compare/?{querystring}")

        assert response.status_code == 400
        assert f"“{parameter}”" in response.content.decode()
        assert [v.number for v in response.context["versions"]] == [1, 2]
