"""A round's past states: `change_round_state` records each change in the round's record's
history in the change's transaction (a refused change records nothing), the migration
seeds the rounds changed before the history existed, and `/api/v1/rounds/` answers the
history as `states`, read for the whole page at once."""

import datetime
import importlib

import jsonschema
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from wagtail.models import Locale

from concertation.site_setup import publish_translation
from consultations.models import ConsultationRoundPage, RoundState, RoundStateChange
from consultations.services.rounds import change_round_state
from tests.consultations.test_rounds import add_round
from tests.factories import publish_policy_version
from tests.opendata.support import body_schema, queries_per_page

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROUNDS = "/api/v1/rounds/"


@pytest.fixture
def policy(home_page):
    return publish_policy_version(home_page, "Version 1", "x").get_parent().specific


def history(round_page) -> list[tuple[str, str]]:
    return list(
        RoundStateChange.objects.filter(round=round_page).values_list("state", "abandoned_reason")
    )


def test_each_change_is_recorded_with_its_time_and_reason(policy):
    round_page = add_round(policy)
    assert history(round_page) == []

    change_round_state(round_page, "open")
    change_round_state(round_page, "abandoned", reason="The minister changed.")

    assert history(round_page) == [("open", ""), ("abandoned", "The minister changed.")]
    last = RoundStateChange.objects.filter(round=round_page).last()
    assert last.changed_at == ConsultationRoundPage.objects.get(pk=round_page.pk).state_changed_at


def test_a_refused_change_records_nothing(policy):
    round_page = add_round(policy)
    change_round_state(round_page, "open")

    with pytest.raises(ValidationError):
        change_round_state(round_page, "report_published")
    with pytest.raises(ValidationError):
        change_round_state(round_page, "abandoned", reason=" ")

    assert history(round_page) == [("open", "")]


def test_a_change_made_from_a_translation_is_the_record_s(policy):
    french = Locale.objects.get(language_code="fr")
    publish_translation(policy.get_parent().specific, french, slug="politiques")
    publish_translation(policy, french, slug="politique")
    round_page = add_round(policy)
    translated = publish_translation(round_page, french, slug="consultation")

    change_round_state(ConsultationRoundPage.objects.get(pk=translated.pk), "open")

    assert history(round_page) == [("open", "")]
    assert not RoundStateChange.objects.filter(round_id=translated.pk).exists()


def test_the_migration_seeds_each_changed_round_from_its_state(policy):
    """Rounds changed before the history existed get one entry, their current state at
    the time it was set; a planned round never changed gets none, a translation none."""
    seed = importlib.import_module(
        "consultations.migrations.0012_round_state_changes"
    ).seed_from_the_current_state
    closed, planned = add_round(policy, title="Closed"), add_round(policy, title="Planned")
    french = Locale.objects.get(language_code="fr")
    publish_translation(policy.get_parent().specific, french, slug="politiques")
    publish_translation(policy, french, slug="politique")
    publish_translation(closed, french, slug="fermee")
    moment = timezone.now() - datetime.timedelta(days=400)
    ConsultationRoundPage.objects.filter(translation_key=closed.translation_key).update(
        state=RoundState.CLOSED, state_changed_at=moment
    )

    seed(apps, None)

    assert list(RoundStateChange.objects.values_list("round", "state", "changed_at")) == [
        (closed.pk, "closed", moment)
    ]
    assert history(planned) == []


def test_the_rounds_resource_answers_the_history(client, policy):
    round_page = add_round(policy, report="<p>What we heard.</p>")
    for state in ("open", "closed", "report_published"):
        change_round_state(round_page, state)

    body = client.get(f"{ROUNDS}{round_page.pk}/").json()
    french = client.get(f"{ROUNDS}{round_page.pk}/", {"lang": "fr"}).json()

    assert [change["state"]["id"] for change in body["states"]] == [
        "open",
        "closed",
        "report_published",
    ]
    assert body["states"][-1]["changed_at"] == body["state_changed"]
    assert all(change["abandoned_reason"] == "" for change in body["states"])
    with translation.override("fr"):
        assert french["states"][0]["state"]["label"] == str(RoundState.OPEN.label)
    assert french["states"][0]["state"]["label"] != "Open"
    planned = add_round(policy, title="Later")
    assert client.get(f"{ROUNDS}{planned.pk}/").json()["states"] == []
    description = client.get("/api/v1/openapi.json").json()
    jsonschema.validate(body, body_schema(description, "/api/v1/rounds/{id}/", 200))


def test_a_page_of_5_and_of_25_rounds_with_histories_cost_the_same_queries(client, policy):
    for number in range(30):
        round_page = add_round(policy, title=f"Round {number}")
        change_round_state(round_page, "open")
        if number % 2:
            change_round_state(round_page, "abandoned", reason="No budget.")

    counts = queries_per_page(client, ROUNDS)

    assert counts[5] == counts[25]
