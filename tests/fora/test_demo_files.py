"""The demo fora's data file (consultations/fora/demo/fora.json) holds the fora the Python
tables held, fact for fact; the loader turns its month offsets into dates."""

import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from consultations.fora.demo import fora_data, load_fora
from consultations.fora.models import Forum, Seat, SeatTerm
from organizations.demo import demo_keys, load_organizations

TODAY = datetime.date(2025, 6, 15)


def test_the_file_names_demo_organizations_and_known_supports():
    data = fora_data()
    keys = set(demo_keys())
    fora = data["fora"]
    assert len(fora) == 17
    assert sum(len(forum["seats"]) for forum in fora) == 79
    assert (data["seed"], data["attendance_rate"], data["history_years"]) == (1995, 0.9, 2)
    assert {forum["convenor"] for forum in fora} <= keys
    seats = [seat for forum in fora for seat in forum["seats"]]
    assert {term["holder"] for seat in seats for term in seat["terms"]} <= keys
    assert {seat["support"] for seat in seats} <= set(data["supports"])


@pytest.mark.django_db
def test_offsets_become_dates_before_the_day_of_loading():
    load_fora({o.name: o for o in load_organizations()}, TODAY)

    assert Forum.objects.count() == 17 and Seat.objects.count() == 79
    women = Seat.objects.get(forum__slug="table-nationale-action-communautaire", label="Femmes")
    assert (women.travel_allowance, women.per_diem) == (Decimal(120), Decimal(0))
    terms = list(SeatTerm.objects.filter(seat=women).order_by("starts_on"))
    assert [(t.organization.slug, t.delegate) for t in terms] == [
        ("regroupement-quebecois-des-centres-de-femmes", "Josée Lavoie"),
        ("centre-des-femmes-de-montreal-nord", "Nadia Benali"),
    ]
    # Held from 72 months before today to 14 months before, then from 14 months before.
    assert terms[0].starts_on == TODAY - relativedelta(months=72)
    assert terms[0].ends_on == terms[1].starts_on == TODAY - relativedelta(months=14)
    assert terms[1].ends_on is None
    group = Forum.objects.get(slug="groupe-de-travail-partenariat-1998")
    assert set(SeatTerm.objects.filter(seat__forum=group).values_list("starts_on", "ends_on")) == {
        (datetime.date(1998, 3, 1), datetime.date(1998, 9, 1))
    }
