"""The demo's rounds are dated from the day it is loaded: a consultation open that day,
with its deadline, its questions and its first briefs, and a roundtable planned ahead,
whichever day a newcomer runs `make run`."""

import datetime

import pytest
from django.utils import timezone

from concertation.demo import load_demo
from consultations.demo.loader import round_date
from consultations.models import ConsultationRoundPage, RoundState, Submission


def test_a_date_is_iso_or_days_from_the_loading_day():
    today = datetime.date(2031, 2, 27)
    assert round_date("2000-04-15", today) == datetime.date(2000, 4, 15)
    assert round_date(-14, today) == datetime.date(2031, 2, 13)
    assert round_date(30, today) == datetime.date(2031, 3, 29)
    assert round_date(None, today) is None


@pytest.mark.django_db
def test_the_demo_has_a_round_open_on_the_day_it_is_loaded(client):
    load_demo()
    today = timezone.localdate()
    english = ConsultationRoundPage.objects.filter(locale__language_code="en")
    current = english.get(slug="policy-update-consultation")
    planned = english.get(slug="advocacy-funding-roundtable")

    assert current.state == RoundState.OPEN
    assert current.opens_on < today < current.closes_on
    assert current.accepts_submissions(today)
    assert current.days_left(today) == 31
    assert current.version.number == 3
    assert "three questions" in current.description
    briefs = Submission.objects.filter(round=current)
    assert sorted(briefs.values_list("organization__name", flat=True)) == [
        "Coalition des tables régionales d'organismes communautaires",
        "Comité aviseur de l'action communautaire autonome",
        "Regroupement québécois des centres de femmes",
    ]
    # Planned a few weeks ahead: the scheduler opens it on its day.
    assert planned.state == RoundState.PLANNED
    assert planned.opens_on == today + datetime.timedelta(days=21)

    page = client.get(current.url)
    assert page.status_code == 200
    assert current.closes_on.strftime("%Y") in page.content.decode()
