"""Rounds in French (decision 011): a round's French page shares its record — the briefs,
the state, the report's publication and the response — with the same permissions; a
missing or unpublished translation falls back visibly, never to a 404, and never shows
what is not public."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm
from wagtail.models import Locale

from concertation.site_setup import publish_translation
from consultations.models import ConsultationRoundPage, PolicyPage, ResponsePoint, Submission
from consultations.permissions.stewardship import grant_steward, manages_round
from consultations.quality import consultation_quality
from consultations.services.responses import record_point
from consultations.services.rounds import advance_due_rounds, change_round_state, submit_brief
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = pytest.mark.django_db

SUBMITTED_ON = datetime.date(2000, 5, 15)
NOTICE = 'class="notice untranslated-notice"'


def french() -> Locale:
    return Locale.objects.get(language_code="fr")


def translate(page, **fields):
    return publish_translation(page, french(), **fields)


@pytest.fixture
def policy(home_page) -> PolicyPage:
    """A policy with its index and one version, all three with their French pages."""
    version = publish_policy_version(home_page, "Consultation document", "x")
    policy = version.get_parent().specific
    translate(policy.get_parent().specific, title="Politiques", slug="politiques")
    translate(policy, title="Politique d’action communautaire", slug="politique")
    translate(version, title="Document de consultation", slug="document-de-consultation")
    return policy


@pytest.fixture
def round_page(policy) -> ConsultationRoundPage:
    """An English round and its French page, open."""
    round_page = add_round(
        policy,
        slug="public-consultation-2000",
        description="Tell us what you think.",
        report="<p>What we heard.</p>",
    )
    translate(
        round_page,
        title="Consultation publique 2000",
        slug="consultation-publique-2000",
        description="Dites-nous ce que vous en pensez.",
        report="<p>Ce que nous avons entendu.</p>",
    )
    change_round_state(round_page, "open")
    return ConsultationRoundPage.objects.get(pk=round_page.pk)


def french_of(page):
    return page.get_translation(french()).specific


def brief(round_page, organization, title: str, publication: str = "named") -> Submission:
    editor = UserFactory(username=f"editor-of-{organization.slug}")
    assign_perm("organizations.change_organization", editor, organization)
    return submit_brief(
        round_page,
        organization,
        editor,
        title=title,
        summary=f"{title}: we ask for core funding.",
        publication=publication,
        today=SUBMITTED_ON,
    )


class TestFrenchPage:
    def test_the_french_round_is_served_in_french(self, client, round_page):
        response = client.get(french_of(round_page).url)

        assert response.status_code == 200
        assert french_of(round_page).url == ("/fr/politiques/politique/consultation-publique-2000/")
        body = response.content.decode()
        assert '<html lang="fr">' in body
        assert "Consultation publique 2000" in body
        assert "Dites-nous ce que vous en pensez." in body
        assert NOTICE not in body

    def test_the_french_policy_page_links_to_the_french_round(self, client, round_page):
        body = client.get(french_of(round_page.get_parent()).url).content.decode()

        assert 'href="/fr/politiques/politique/consultation-publique-2000/"' in body
        assert "public-consultation-2000" not in body

    def test_a_state_change_reaches_every_language(self, round_page):
        french_round = french_of(round_page)

        change_round_state(french_round, "closed")  # from the French page's admin screen

        assert ConsultationRoundPage.objects.get(pk=round_page.pk).state == "closed"
        assert ConsultationRoundPage.objects.get(pk=french_round.pk).state == "closed"

    def test_publishing_an_older_revision_keeps_the_state(self, round_page):
        french_round = french_of(round_page)
        older = french_round.save_revision()  # saved while the round was open
        change_round_state(round_page, "closed")

        older.publish()

        assert ConsultationRoundPage.objects.get(pk=french_round.pk).state == "closed"

    def test_rounds_advance_once_on_their_dates_in_every_language(self, policy):
        round_page = add_round(
            policy, opens_on=datetime.date(2000, 5, 1), closes_on=datetime.date(2000, 6, 30)
        )
        french_round = translate(round_page, title="Tour", slug="tour")

        assert advance_due_rounds(datetime.date(2000, 5, 1)) == {"opened": 1, "closed": 0}
        assert ConsultationRoundPage.objects.get(pk=french_round.pk).state == "open"


class TestSharedRecord:
    def test_a_brief_sent_from_the_french_page_belongs_to_the_round(self, client, round_page):
        sent = brief(french_of(round_page), OrganizationFactory(), "Notre mémoire")
        english = brief(round_page, OrganizationFactory(), "Our brief")
        change_round_state(round_page, "closed")

        assert sent.round_id == round_page.pk
        assert (sent.language, english.language) == ("fr", "en")
        # Each is marked with its language where the page's is another.
        on_english_page = client.get(round_page.url).content.decode()
        assert '<strong lang="fr">Notre mémoire</strong>' in on_english_page
        assert "<strong>Our brief</strong>" in on_english_page
        on_french_page = client.get(french_of(round_page).url).content.decode()
        assert "<strong>Notre mémoire</strong>" in on_french_page
        assert '<strong lang="en">Our brief</strong>' in on_french_page

    def test_the_briefs_are_shown_on_both_pages_to_the_same_readers(self, client, round_page):
        named = brief(round_page, OrganizationFactory(name="Named group"), "Named brief")
        withheld_by = OrganizationFactory(name="Private group")
        brief(round_page, withheld_by, "Withheld brief", "withheld")
        change_round_state(round_page, "closed")
        pages = (round_page.url, french_of(round_page).url)

        for url in pages:
            body = client.get(url).content.decode()
            assert "Named brief" in body and f'id="submission-{named.pk}"' in body
            assert "Withheld brief" not in body
        client.force_login(withheld_by_editor(withheld_by))
        for url in pages:
            assert "Withheld brief" in client.get(url).content.decode()

    def test_the_report_is_the_pages_own_once_published(self, client, round_page):
        french_url = french_of(round_page).url
        change_round_state(round_page, "closed")
        assert "Ce que nous avons entendu." not in client.get(french_url).content.decode()

        change_round_state(round_page, "report_published")

        body = client.get(french_url).content.decode()
        assert "Ce que nous avons entendu." in body
        assert "What we heard." not in body

    def test_the_response_in_french_the_untranslated_point_marked_english(self, client, round_page):
        sent = brief(round_page, OrganizationFactory(name="Named group"), "Named brief")
        change_round_state(round_page, "closed")
        change_round_state(round_page, "report_published")
        record_point(
            ResponsePoint(
                round=round_page,
                position=1,
                said="Fund the global mission.",
                response="We will.",
                said_translation="Financer la mission globale.",
                response_translation="Nous le ferons.",
            ),
            [sent],
        )
        untranslated = record_point(
            ResponsePoint(round=round_page, position=2, said="Meet us.", response="Agreed.")
        )
        french_url = french_of(round_page).url
        steward = UserFactory(username="steward")
        grant_steward(steward, round_page.get_parent())

        assert "Financer la mission globale." not in client.get(french_url).content.decode()
        client.force_login(steward)
        assert "Financer la mission globale." in client.get(french_url).content.decode()
        client.logout()

        change_round_state(round_page, "response_published")
        body = client.get(french_url).content.decode()
        assert "Financer la mission globale." in body and "Nous le ferons." in body
        assert "Fund the global mission." not in body
        assert f'href="#submission-{sent.pk}"' in body
        assert f'id="point-{untranslated.pk}"' in body
        assert '<span lang="en">Meet us.</span>' in body
        assert '<dd lang="en">Agreed.</dd>' in body
        english = client.get(round_page.url).content.decode()
        assert "Fund the global mission." in english and "Financer" not in english

    def test_the_french_page_queries_do_not_grow_with_the_points(self, client, round_page):
        change_round_state(round_page, "closed")
        change_round_state(round_page, "report_published")
        record_point(ResponsePoint(round=round_page, said="One.", response="Yes."))
        change_round_state(round_page, "response_published")
        french_url = french_of(round_page).url

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(french_url).status_code == 200
            return len(captured)

        one = queries()
        ResponsePoint.objects.bulk_create(
            [ResponsePoint(round=round_page, said=f"Point {n}.", response="Yes.") for n in (2, 3)]
        )
        assert queries() == one

    def test_the_abandonment_reason_is_shown_as_typed_marked_english(self, client, round_page):
        change_round_state(round_page, "abandoned", reason="No quorum.")
        french_round = french_of(round_page)

        body = client.get(french_round.url).content.decode()
        assert '<dd lang="en">No quorum.</dd>' in body
        policy_body = client.get(french_of(round_page.get_parent()).url).content.decode()
        assert '<span lang="en">No quorum.</span>' in policy_body
        english = client.get(round_page.url).content.decode()
        assert "<dd>No quorum.</dd>" in english

    def test_the_abandonment_reason_in_french_when_the_steward_gave_it(self, client, round_page):
        change_round_state(
            round_page, "abandoned", reason="No quorum.", reason_translation="Pas de quorum."
        )

        body = client.get(french_of(round_page).url).content.decode()
        assert "<dd>Pas de quorum.</dd>" in body and "No quorum." not in body
        policy_body = client.get(french_of(round_page.get_parent()).url).content.decode()
        assert "</a>: Pas de quorum.</li>" in policy_body
        assert "<dd>No quorum.</dd>" in client.get(round_page.url).content.decode()

    def test_the_state_screen_takes_the_reasons_translation(self, client, round_page):
        steward = UserFactory(username="steward")
        grant_steward(steward, round_page.get_parent())
        client.force_login(steward)
        french_round = french_of(round_page)

        response = client.post(
            f"/admin/consultations/rounds/{french_round.pk}/state/",
            {
                "new_state": "abandoned",
                "reason": "No quorum.",
                "reason_translation": "Pas de quorum.",
            },
        )

        assert response.status_code == 302
        assert ConsultationRoundPage.objects.get(pk=round_page.pk).abandoned_reason == "No quorum."
        stored = ConsultationRoundPage.objects.get(pk=french_round.pk)
        assert (stored.state, stored.abandoned_reason) == ("abandoned", "Pas de quorum.")

    def test_points_belong_to_the_round_as_recorded_not_its_translation(self, round_page):
        with pytest.raises(ValidationError) as refused:
            ResponsePoint(round=french_of(round_page), said="x", response="y").full_clean()

        assert "round" in refused.value.message_dict

    def test_the_stewards_of_the_round_manage_its_french_page_and_no_one_else(
        self, round_page, home_page
    ):
        steward = UserFactory(username="steward")
        grant_steward(steward, round_page.get_parent())
        other_policy = (
            round_page.get_parent()
            .get_parent()
            .add_child(instance=PolicyPage(title="Housing policy"))
        )
        other = UserFactory(username="other-steward")
        grant_steward(other, other_policy)

        assert manages_round(steward, french_of(round_page))
        assert not manages_round(other, french_of(round_page))
        assert not manages_round(AnonymousUser(), french_of(round_page))

    def test_the_stewards_edit_the_french_pages_in_the_admin(self, policy, round_page):
        before = UserFactory(username="steward-before")
        grant_steward(before, policy)  # the French pages exist already
        round_b = add_round(policy, title="Roundtable", slug="roundtable")
        given_round = UserFactory(username="round-steward")
        grant_steward(given_round, round_b)
        french_b = translate(round_b, title="Table ronde", slug="table-ronde")  # afterwards
        other = UserFactory(username="other")
        grant_steward(other, add_round(policy, title="Other", slug="other"))

        assert french_of(round_page).permissions_for_user(before).can_edit()
        assert french_of(policy).permissions_for_user(before).can_edit()
        assert french_b.permissions_for_user(given_round).can_edit()
        assert not french_b.permissions_for_user(other).can_edit()
        assert not french_of(round_page).permissions_for_user(given_round).can_edit()

    def test_the_french_policy_counts_the_rounds_briefs(self, round_page):
        brief(round_page, OrganizationFactory(), "Named brief")
        change_round_state(round_page, "closed")
        french_policy = french_of(round_page.get_parent())

        quality = consultation_quality(list(french_policy.public_rounds()))

        assert (quality.rounds, quality.submissions_received) == (1, 1)
        assert quality.submissions_published == 1

    def test_an_editor_edits_their_brief_from_the_french_page(self, client, round_page):
        organization = OrganizationFactory()
        sent = brief(round_page, organization, "Mémoire")
        client.force_login(withheld_by_editor(organization))

        response = client.get(f"{french_of(round_page).url}submissions/{sent.pk}/edit/")

        assert response.status_code == 200


def withheld_by_editor(organization):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=f"editor-of-{organization.slug}")


class TestFallback:
    def test_a_round_without_french_page_is_shown_in_english_with_a_notice(self, client, policy):
        add_round(policy, title="Roundtable 2001", slug="roundtable-2001")

        response = client.get("/fr/politiques/politique/roundtable-2001/")

        assert response.status_code == 200
        body = response.content.decode()
        assert '<html lang="fr">' in body
        assert NOTICE in body
        assert '<div lang="en">' in body
        assert "Roundtable 2001" in body

    def test_the_french_policy_lists_the_untranslated_round_in_english(self, client, policy):
        add_round(policy, title="Roundtable 2001", slug="roundtable-2001")

        body = client.get(french_of(policy).url).content.decode()

        assert 'href="/policies/community-action-policy/roundtable-2001/"' in body

    def test_an_english_slug_under_fr_redirects_to_the_french_page(self, client, round_page):
        response = client.get("/fr/politiques/politique/public-consultation-2000/?x=1")

        assert response.status_code == 302
        assert response["Location"] == "/fr/politiques/politique/consultation-publique-2000/?x=1"

    def test_an_english_address_under_fr_reaches_the_french_route(self, client, round_page):
        english = "/fr/policies/community-action-policy/public-consultation-2000/submit/"
        response = client.get(english)

        assert response.status_code == 302
        assert response["Location"] == (
            "/fr/politiques/politique/consultation-publique-2000/submit/"
        )

    def test_an_unknown_address_stays_404(self, client, round_page):
        assert client.get("/fr/politiques/politique/nothing-here/").status_code == 404
        french_url = french_of(round_page).url
        assert client.get(f"{french_url}submissions/999/edit/").status_code in (302, 404)
        assert client.get("/fr/no-such-page/").status_code == 404

    def test_a_draft_french_page_never_leaks(self, client, policy):
        round_page = add_round(policy, title="Roundtable 2001", slug="roundtable-2001")
        draft = round_page.copy_for_translation(french())  # not published
        draft.title, draft.slug = "Table ronde secrète", "table-ronde-2001"
        draft.save_revision()
        draft.save()

        by_french_slug = client.get("/fr/politiques/politique/table-ronde-2001/")
        by_english_slug = client.get("/fr/politiques/politique/roundtable-2001/")

        assert by_french_slug.status_code == 404
        assert by_english_slug.status_code == 200  # the live English page, with the notice
        body = by_english_slug.content.decode()
        assert NOTICE in body and "Table ronde secrète" not in body

        draft.save_revision().publish()  # allowed once published
        assert client.get("/fr/politiques/politique/table-ronde-2001/").status_code == 200

    def test_a_draft_round_is_not_served_in_any_language(self, client, policy):
        round_page = add_round(policy, title="Roundtable 2001", slug="roundtable-2001")
        translate(round_page, title="Table ronde 2001", slug="table-ronde-2001")
        round_page.unpublish()
        french_of(round_page).unpublish()

        assert client.get("/fr/politiques/politique/roundtable-2001/").status_code == 404
        assert client.get("/fr/politiques/politique/table-ronde-2001/").status_code == 404
        english = "/policies/community-action-policy/roundtable-2001/"
        assert client.get(english).status_code == 404

    def test_a_private_page_keeps_its_restriction_when_it_falls_back(self, client, policy):
        from wagtail.models import PageViewRestriction

        round_page = add_round(policy, title="Roundtable 2001", slug="roundtable-2001")
        PageViewRestriction.objects.create(page=round_page, restriction_type="login")

        response = client.get("/fr/politiques/politique/roundtable-2001/")

        assert response.status_code == 302
        assert "login" in response["Location"]
        assert "Roundtable 2001" not in response.content.decode()


def test_a_page_that_refuses_itself_stays_404_in_french(client, policy, home_page):
    """An internal version is live for its editors but served to no visitor: reached
    under /fr/ by its English slug it is still a 404, not an English page."""
    internal = publish_policy_version(home_page, "Internal draft", "y", status="internal")

    assert client.get(f"/fr/politiques/politique/{internal.slug}/").status_code == 404
