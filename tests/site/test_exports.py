"""The one streamed CSV/JSON writer: spreadsheet-safe cells, streaming, language."""

import csv
import io
import json
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext

from concertation.exports import csv_download, csv_lines, json_download, spreadsheet_safe


def read_csv(lines) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines))))


def test_formula_cells_are_quoted_so_a_spreadsheet_shows_them():
    for hostile in ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert spreadsheet_safe(hostile) == "'" + hostile


def test_numbers_and_plain_text_stay_as_they_are():
    assert spreadsheet_safe("-12.50") == "-12.50"
    assert spreadsheet_safe(Decimal("-3.25")) == "-3.25"
    assert spreadsheet_safe(2003) == "2003"
    assert spreadsheet_safe("Entraide") == "Entraide"
    assert spreadsheet_safe(None) == ""


def test_every_row_is_escaped_in_the_written_file():
    rows = read_csv(csv_lines(["name", "amount"], [["=cmd|'/c calc'!A1", "-5.00"]]))
    assert rows == [["name", "amount"], ["'=cmd|'/c calc'!A1", "-5.00"]]


def test_rows_are_read_only_while_the_file_is_streamed():
    consumed = []

    def rows():
        for number in range(3):
            consumed.append(number)
            yield [number]

    lines = csv_lines(["n"], rows())
    assert consumed == []
    next(lines)
    next(lines)
    assert consumed == [0]


def test_the_visitors_language_is_set_again_while_streaming():
    lines = csv_lines(["label"], ([gettext("Search")] for _ in range(1)), language="fr")
    with translation.override("en"):
        assert read_csv(lines)[1] == ["Rechercher"]


def test_downloads_name_their_file_and_type():
    response = csv_download("burden.csv", ["a"], [["b"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="burden.csv"'
    records = [{"title": "=1+1", "amount": Decimal("2.50")}]
    body = b"".join(json_download("x.json", records).streaming_content).decode()
    assert json.loads(body) == [{"title": "=1+1", "amount": "2.50"}]
