"""Figures written the way the visitor's language writes them (concertation.formats and
the `formats` template filters), with CLDR's exact characters."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from concertation import formats

NBSP = "\N{NO-BREAK SPACE}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "$1,234.50"), ("fr", f"1{NBSP}234,50{NBSP}$")],
)
def test_money_in_canadian_dollars_by_default(language, expected):
    with translation.override(language):
        assert formats.money(Decimal("1234.5")) == expected


def test_money_in_another_currency_when_the_record_says_so():
    with translation.override("en"):
        assert formats.money(1234.5, "USD") == "US$1,234.50"
    with translation.override("fr"):
        assert formats.money(1234.5, "USD") == f"1{NBSP}234,50{NBSP}${NBSP}US"


def test_money_in_whole_dollars_and_negative():
    with translation.override("en"):
        assert formats.money(2114000, decimals=0) == "$2,114,000"
        assert formats.money(Decimal("-55000")) == "-$55,000.00"
    with translation.override("fr"):
        assert formats.money(2114000, decimals=0) == f"2{NBSP}114{NBSP}000{NBSP}$"


def test_numbers_grouped_with_fixed_or_trimmed_places():
    with translation.override("en"):
        assert formats.number(2114000, 2) == "2,114,000.00"
        assert formats.number(Decimal("12.5"), 2, trim=True) == "12.5"
        assert formats.number(4, 2, trim=True) == "4"
        assert formats.number(1.666, 0) == "2"
    with translation.override("fr"):
        assert formats.number(2114000, 2) == f"2{NBSP}114{NBSP}000,00"
        assert formats.number(Decimal("12.5"), 1) == "12,5"


def test_days_as_the_language_writes_them_never_iso():
    day = datetime.date(2002, 12, 31)
    with translation.override("en"):
        assert formats.day(day) == "Dec. 31, 2002"
    with translation.override("fr"):
        assert formats.day(day) == "31 décembre 2002"


def test_a_regional_language_code_and_an_unknown_one():
    assert formats.locale_of("fr-ca") == "fr_CA"
    assert formats.locale_of("de") == "en_CA"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "$1,234.50 · 1,234.50 · 12.5 · 2,114,000 · 100 · "),
        ("fr", f"1{NBSP}234,50{NBSP}$ · 1{NBSP}234,50 · 12,5 · 2{NBSP}114{NBSP}000 · 100 · "),
    ],
)
def test_template_filters(language, expected):
    template = Template(
        "{% load formats %}{{ amount|money }} · {{ amount|number }} · {{ hours|number:1 }}"
        ' · {{ people|number:0 }} · {{ per_diem|number:"-2" }} · {{ missing|money }}'
    )
    context = Context(
        {
            "amount": Decimal("1234.50"),
            "hours": 12.5,
            "people": 2114000,
            "per_diem": Decimal("100.00"),
            "missing": None,
        }
    )
    with translation.override(language):
        assert template.render(context) == expected
