"""Importing organizations from CSV and XLSX: every rejected row is listed with its row
and column, nothing from a rejected file is saved, a dry run saves nothing, the writes
are bulk, the search index hears of the new rows after commit, and only secretariat
staff may import from the admin."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm

import search.tasks
from organizations import admin_import, importing
from organizations.importing import RowError, import_file
from organizations.models import (
    CoalitionMembership,
    CooperativeType,
    MembershipRole,
    Organization,
    OrganizationKind,
)
from search.models import PendingChange
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/organizations/import/"


def csv_bytes(rows: list[dict], *, delimiter: str = ",", bom: bool = False) -> bytes:
    """A CSV file whose header is the union of the rows' keys, in first-seen order."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def organization_row(name: str, **columns: str) -> dict:
    return {"name": name, "kind": "community", **columns}


def import_csv(rows: list[dict], **options) -> importing.ImportResult:
    return import_file(csv_bytes(rows), "organizations.csv", **options)


@pytest.fixture
def coalition():
    return OrganizationFactory(
        name="Regroupement des organismes communautaires de l'Estrie",
        slug="roc-estrie",
        kind=OrganizationKind.COALITION,
    )


# ------------------------------------------------------------- valid files ---


def test_a_valid_csv_creates_every_organization_with_its_links_and_membership(coalition):
    rows = [
        {
            "name": "Table régionale des coopératives",
            "kind": "coalition",
            "region": "qc-05",
        },
        {
            "name": "Coopérative de solidarité santé",
            "legal_name": "Coopérative de solidarité santé de Sherbrooke",
            "kind": "cooperative",
            "cooperative_type": "solidarity",
            "region": "qc-05",
            "regions_served": "qc-05; qc-16",
            "sectors": "health-social;primary-care",
            "constituencies": "seniors;families",
            "fields_of_activity": "services",
            "founded_year": "1998",
            "staff_fte": "12.5",
            "member_count": "4200",
            "share_capital": "15000.50",
            "gross_revenue": "2500000",
            "assets": "800000",
            "has_share_capital": "oui",
            "incorporation_act": "Loi sur les coopératives",
            "incorporation_jurisdiction": "qc",
            "incorporation_date": "1998-05-04",
            "serves_in_french": "yes",
            "serves_in_english": "1",
            "other_languages": "Spanish",
            "email": "info@coopsante.example",
            "phone": "819 555-0100",
            "address": "100 rue King, Sherbrooke",
            "website": "coopsante.example",
            "summary_en": "A health co-operative.",
            "summary_fr": "Une coopérative de santé.",
            "coalition": "table régionale des coopératives",
            "membership_role": "founding_member",
            "membership_start": "2001-01-15",
            "membership_end": "2010-12-31",
        },
        {
            "name": "Comité logement Sherbrooke",
            "slug": "comite-logement",
            "kind": "advocacy",
            "sectors": "housing",
            "coalition": "roc-estrie",
        },
    ]

    result = import_csv(rows)

    assert result.errors == []
    assert (result.rows_read, result.created) == (3, 3)
    cooperative = Organization.objects.get(name="Coopérative de solidarité santé")
    assert cooperative.slug == "cooperative-de-solidarite-sante"
    assert cooperative.cooperative_type == CooperativeType.SOLIDARITY
    assert cooperative.region.code == "qc-05"
    assert cooperative.incorporation_jurisdiction.code == "qc"
    assert {r.code for r in cooperative.regions_served.all()} == {"qc-05", "qc-16"}
    assert {s.code for s in cooperative.sectors.all()} == {"health-social", "primary-care"}
    assert {c.code for c in cooperative.constituencies.all()} == {"seniors", "families"}
    assert [f.code for f in cooperative.fields_of_activity.all()] == ["services"]
    assert cooperative.founded_year == 1998
    assert cooperative.staff_fte == Decimal("12.5")
    assert cooperative.member_count == 4200
    assert cooperative.share_capital == Decimal("15000.50")
    assert cooperative.has_share_capital is True
    assert cooperative.incorporation_date == datetime.date(1998, 5, 4)
    assert (cooperative.serves_in_french, cooperative.serves_in_english) == (True, True)
    assert cooperative.website == "https://coopsante.example"
    assert cooperative.created_at is not None
    [membership] = cooperative.memberships.all()
    assert membership.coalition.name == "Table régionale des coopératives"
    assert membership.role == MembershipRole.FOUNDING_MEMBER
    assert (membership.start_date, membership.end_date) == (
        datetime.date(2001, 1, 15),
        datetime.date(2010, 12, 31),
    )
    housing = Organization.objects.get(slug="comite-logement")
    [membership] = housing.memberships.all()
    assert (membership.coalition, membership.role) == (coalition, MembershipRole.MEMBER)
    assert housing.region is None
    assert (housing.serves_in_french, housing.serves_in_english) == (True, False)
    assert housing.has_share_capital is None


def test_a_french_excel_csv_with_bom_semicolons_and_decimal_commas_is_read():
    data = csv_bytes(
        [
            {" Name ": "Centre des femmes", "KIND": "community", "Staff_FTE": "2,5"},
            {" Name ": "Maison des jeunes", "KIND": "community", "Staff_FTE": "1 234,75"},
        ],
        delimiter=";",
        bom=True,
    )

    result = import_file(data, "organismes.csv")

    assert result.errors == []
    assert Organization.objects.get(name="Centre des femmes").staff_fte == Decimal("2.5")
    assert Organization.objects.get(name="Maison des jeunes").staff_fte == Decimal("1234.75")


def test_an_xlsx_file_imports_like_a_csv(coalition):
    header = [
        "Name",
        "kind",
        "cooperative_type",
        "region",
        "sectors",
        "founded_year",
        "member_count",
        "staff_fte",
        "has_share_capital",
        "incorporation_date",
        "coalition",
        "membership_start",
    ]
    rows = [
        [
            "Coopérative d'habitation du Vieux-Nord",
            "cooperative",
            "housing",
            "qc-05",
            "housing",
            1987,
            48,
            0.5,
            True,
            datetime.datetime(1987, 3, 1),
            "roc-estrie",
            datetime.date(1990, 6, 1),
        ],
        [],  # a blank row is skipped but still counted: the next row is row 4
        ["Maison de la famille", "community", None, "qc-05", "families-unknown"],
    ]

    result = import_file(xlsx_bytes(header, rows), "catalogue.xlsx")

    assert result.errors == [RowError(4, "sectors", 'unknown sector "families-unknown"')]
    assert Organization.objects.count() == 1  # only the coalition of the fixture

    rows[2][4] = "health-social"
    result = import_file(xlsx_bytes(header, rows), "catalogue.xlsx")

    assert result.errors == []
    assert result.created == 2
    housing = Organization.objects.get(slug="cooperative-dhabitation-du-vieux-nord")
    assert (housing.founded_year, housing.member_count) == (1987, 48)
    assert housing.staff_fte == Decimal("0.5")
    assert housing.has_share_capital is True
    assert housing.incorporation_date == datetime.date(1987, 3, 1)
    assert housing.memberships.get().start_date == datetime.date(1990, 6, 1)
    assert housing.memberships.get().coalition == coalition


# ----------------------------------------------------------- rejected rows ---


KINDS = "autonomous_community, community, advocacy, cooperative, mutual, coalition, government"
COOPERATIVE_TYPES = "consumer, worker, producer, housing, financial, solidarity"
NOT_A_DATE = '"%s" is not a date written YYYY-MM-DD'
MEMBER_OF_ROC = {"coalition": "roc-estrie"}
BAD_ROWS = [
    ({"region": "qc-99"}, "region", 'unknown region "qc-99"'),
    ({"regions_served": "qc-01;qc-99;zz"}, "regions_served", 'unknown regions "qc-99", "zz"'),
    ({"constituencies": "youth;aliens"}, "constituencies", 'unknown constituency "aliens"'),
    ({"incorporation_jurisdiction": "xx"}, "incorporation_jurisdiction", 'unknown region "xx"'),
    ({"member_count": "-3"}, "member_count", "cannot be negative (got -3)"),
    ({"assets": "-0.01"}, "assets", "cannot be negative (got -0.01)"),
    ({"staff_fte": "lots"}, "staff_fte", '"lots" is not a number'),
    ({"member_count": "12.5"}, "member_count", '"12.5" is not a whole number'),
    ({"share_capital": "15,000"}, "share_capital", '"15,000" is not a number'),
    ({"founded_year": "1492"}, "founded_year", "must be between 1600 and 2100 (got 1492)"),
    (
        {**MEMBER_OF_ROC, "membership_start": "2020-01-01", "membership_end": "2019-12-31"},
        "membership_end",
        "the membership ends (2019-12-31) before it starts (2020-01-01)",
    ),
    (
        {**MEMBER_OF_ROC, "membership_start": "2020-13-01"},
        "membership_start",
        NOT_A_DATE % "2020-13-01",
    ),
    ({"incorporation_date": "04/05/1998"}, "incorporation_date", NOT_A_DATE % "04/05/1998"),
    (
        {"membership_role": "member"},
        "membership_role",
        "a membership needs a coalition: the coalition column is empty",
    ),
    (
        {"coalition": "Nobody"},
        "coalition",
        'no coalition "Nobody" exists, in the catalogue or above this row',
    ),
    (
        {"serves_in_english": "maybe"},
        "serves_in_english",
        '"maybe" is not yes or no (write yes/no, true/false, oui/non or 1/0)',
    ),
    ({"kind": "charity"}, "kind", f'unknown value "charity"; expected one of: {KINDS}'),
    ({"kind": ""}, "kind", f"a kind is required; expected one of: {KINDS}"),
    (
        {"kind": "cooperative"},
        "cooperative_type",
        f"required for a co-operative; expected one of: {COOPERATIVE_TYPES}",
    ),
    (
        {"cooperative_type": "worker"},
        "cooperative_type",
        'only co-operatives have a co-operative type (this row\'s kind is "community")',
    ),
    ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    (
        {"slug": "no spaces"},
        "slug",
        "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
    ),
    ({"name": ""}, "name", "a name is required"),
    ({"name": "x" * 256}, "name", "Ensure this value has at most 255 characters (it has 256)."),
]


@pytest.mark.parametrize(("columns", "field", "message"), BAD_ROWS)
def test_a_bad_row_is_rejected_naming_row_and_field_and_nothing_is_saved(
    coalition, columns, field, message
):
    rows = [
        organization_row("A valid organization"),
        {**organization_row("The bad one"), **columns},
    ]

    result = import_csv(rows)

    assert result.errors == [RowError(3, field, message)]
    assert str(result.errors[0]) == f"row 3, {field}: {message}"
    assert result.created == 0
    assert list(Organization.objects.all()) == [coalition]


def test_a_name_already_in_the_catalogue_is_a_duplicate(coalition):
    result = import_csv(
        [organization_row("REGROUPEMENT des organismes communautaires de l'Estrie")]
    )

    assert result.errors == [
        RowError(
            2,
            "name",
            'an organization named "Regroupement des organismes communautaires de l\'Estrie" '
            "already exists",
        )
    ]
    assert Organization.objects.count() == 1


def test_an_accented_name_already_in_the_catalogue_is_a_duplicate_on_any_database():
    # SQLite's LOWER() leaves "É" as it is: the exact name must be caught all the same.
    OrganizationFactory(name="École populaire", slug="ecole")

    result = import_csv([organization_row("École populaire", slug="ecole-2")])

    assert result.errors == [
        RowError(2, "name", 'an organization named "École populaire" already exists')
    ]


def test_a_name_twice_in_the_file_is_a_duplicate_of_the_earlier_row():
    rows = [
        organization_row("Centre d'action bénévole"),
        organization_row("Autre centre"),
        organization_row("centre d'action bénévole", slug="cab-2"),
    ]

    result = import_csv(rows)

    assert result.errors == [RowError(4, "name", '"centre d\'action bénévole" is already on row 2')]
    assert Organization.objects.count() == 0


def test_a_slug_must_be_unique_in_the_file_and_in_the_catalogue(coalition):
    rows = [
        organization_row("Le Phare", slug="phare"),
        organization_row("Phare (Le)", slug="phare"),
        organization_row("ROC Estrie", slug="ROC-Estrie"),
        organization_row("Phare"),
    ]

    result = import_csv(rows)

    assert result.errors == [
        RowError(3, "slug", 'the slug "phare" is already used on row 2'),
        RowError(
            4,
            "slug",
            'the slug "ROC-Estrie" is already used by '
            '"Regroupement des organismes communautaires de l\'Estrie"',
        ),
        RowError(
            5,
            "slug",
            'the slug "phare" is already used on row 2 '
            "(made from the name: give another in the slug column)",
        ),
    ]
    assert Organization.objects.count() == 1


def test_a_coalition_must_come_before_its_members_and_be_a_coalition():
    OrganizationFactory(name="Centre communautaire", slug="centre", kind=OrganizationKind.COMMUNITY)
    rows = [
        organization_row("Membre", coalition="Table de concertation"),
        organization_row("Table de concertation", kind="coalition"),
        organization_row("Autre membre", coalition="centre"),
        organization_row("Solitaire", coalition="solitaire"),
        organization_row("Membre du membre", coalition="Membre"),
    ]

    result = import_csv(rows)

    assert result.errors == [
        RowError(
            2,
            "coalition",
            '"Table de concertation" is on row 3, after this one: put coalitions before their '
            "members",
        ),
        RowError(
            4, "coalition", '"Centre communautaire" is not a coalition (its kind is "community")'
        ),
        RowError(5, "coalition", "an organization cannot be a member of itself"),
        RowError(6, "coalition", '"Membre" (row 2) is not a coalition'),
    ]
    assert Organization.objects.count() == 1


def test_every_error_of_a_row_is_reported_not_only_the_first():
    result = import_csv(
        [organization_row("Plusieurs erreurs", region="qc-99", member_count="-1", email="x")]
    )

    assert result.errors == [
        RowError(2, "region", 'unknown region "qc-99"'),
        RowError(2, "member_count", "cannot be negative (got -1)"),
        RowError(2, "email", "Enter a valid email address."),
    ]


# ------------------------------------------------------------- file-level ---


def test_an_unknown_column_is_named_and_nothing_is_saved():
    rows = [organization_row("Valide", colour="blue", regoin="qc-05")]

    result = import_csv(rows)

    assert result.errors == [
        RowError(1, "colour", 'unknown column "colour"'),
        RowError(1, "regoin", 'unknown column "regoin" (did you mean "region"?)'),
    ]
    assert Organization.objects.count() == 0


def test_a_missing_required_column_is_named():
    result = import_file(csv_bytes([{"name": "Sans type", "region": "qc-01"}]), "a.csv")

    assert result.errors == [RowError(1, "kind", 'the required column "kind" is missing')]
    assert Organization.objects.count() == 0


def test_values_in_a_column_without_a_header_are_reported():
    data = b"name,kind\r\nCentre,community,surprise\r\n"

    result = import_file(data, "a.csv")

    assert result.errors == [
        RowError(1, "column 3", "this column has values but no name in the header row")
    ]
    assert Organization.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"%PDF-1.7 ...", "catalogue.pdf", '"catalogue.pdf" is neither a CSV nor an XLSX file.'),
        (
            b"\xd0\xcf\x11\xe0 old excel",
            "catalogue.xls",
            'Files of type ".xls" cannot be imported: save the sheet as XLSX (Excel workbook) '
            "or as CSV UTF-8.",
        ),
        (
            "name,kind\r\nCentre d'entraide,community\r\n".encode("cp1252").replace(b"'", b"\x92"),
            "windows.csv",
            "The file is not UTF-8 text (unreadable byte at position 19): save it as CSV UTF-8.",
        ),
        (
            b"PK\x03\x04 not really a workbook",
            "broken.xlsx",
            "The file cannot be read as an XLSX workbook (BadZipFile).",
        ),
        (
            b"PK\x03\x04 a workbook named .csv",
            "renamed.csv",
            "This file is a spreadsheet workbook, not CSV text: name it .xlsx.",
        ),
        (b"", "empty.csv", "The file is empty: its first row must name the columns."),
        (
            b"name,kind\r\n\r\n",
            "header-only.csv",
            "The file has no rows to import below its header.",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_reported_as_a_whole(data, filename, message):
    result = import_file(data, filename)

    assert result.errors == [RowError(None, "file", message)]
    assert str(result.errors[0]) == f"file: {message}"
    assert not result.ok


# ---------------------------------------------------------------- dry run ---


def test_a_dry_run_lists_every_rejected_row_and_saves_nothing():
    rows = [
        organization_row("Valide 1"),
        organization_row("Région inconnue", region="qc-99"),
        organization_row("Valide 2"),
        organization_row("Membres négatifs", member_count="-5"),
        organization_row("Valide 1"),
    ]

    result = import_csv(rows, dry_run=True)

    assert result.dry_run
    assert [(e.row, e.field) for e in result.errors] == [
        (3, "region"),
        (5, "member_count"),
        (6, "name"),
    ]
    assert result.rejected_rows == [3, 5, 6]
    assert result.created == 0
    assert Organization.objects.count() == 0


def test_a_dry_run_of_a_valid_file_says_what_would_be_created_and_saves_nothing(
    coalition, django_capture_on_commit_callbacks
):
    rows = [
        organization_row(f"Organisme {n}", sectors="housing", coalition="roc-estrie")
        for n in range(3)
    ]

    with django_capture_on_commit_callbacks() as callbacks:
        result = import_csv(rows, dry_run=True)

    assert (result.ok, result.created, result.rows_read) == (True, 3, 3)
    assert Organization.objects.count() == 1
    assert CoalitionMembership.objects.count() == 0
    assert callbacks == []


def test_database_constraints_are_the_last_word_even_in_a_dry_run(monkeypatch, caplog):
    # Pretend the Python check missed an implausible year: the database constraint
    # still refuses it, in a dry run as in an import, and nothing is left behind. The
    # user is told the row, the column and the constraint's own message; the driver's
    # text, which names the constraint, only reaches the log.
    monkeypatch.setattr(importing.validation, "FOUNDED_YEAR_RANGE", (0, 9999))
    rows = [organization_row("Valide"), organization_row("Trop ancien", founded_year="1066")]

    for dry_run in (True, False):
        result = import_csv(rows, dry_run=dry_run)

        assert result.errors == [
            RowError(3, "founded_year", "The year founded must be between 1600 and 2100.")
        ]
        assert result.created == 0
        assert Organization.objects.count() == 0
    assert "organization_founded_year_plausible" in caplog.text


def test_a_duplicate_the_checks_missed_is_named_by_row_and_column(monkeypatch, caplog):
    # The unique constraint on the name is not declared in Meta.constraints: its columns
    # come from the driver's error (SQLite) or from the database's description of the
    # constraint it names (PostgreSQL).
    monkeypatch.setattr(importing.validation._RowValidator, "_check_unique", lambda *args: None)
    rows = [
        organization_row("Le Phare", slug="phare"),
        organization_row("Valide"),
        organization_row("Le Phare", slug="phare-2"),
    ]

    result = import_csv(rows)

    assert result.errors == [
        RowError(4, "name", "the database refused this value: another organization has it")
    ]
    assert Organization.objects.count() == 0
    assert "organizations_organization" not in str(result.errors)
    assert "organizations_organization" in caplog.text


def refusing_writes(monkeypatch, refuses) -> None:
    """Make the database refuse the writes `refuses(planned rows)` picks, with a driver
    text the user must never see."""
    write = importing.writing._write

    def refusing_write(planned):
        if refuses(planned):
            raise IntegrityError('raw driver text: relation "secret_table" says no')
        return write(planned)

    monkeypatch.setattr(importing.writing, "_write", refusing_write)


def test_a_row_the_database_refuses_for_an_unknown_reason_is_named(monkeypatch, caplog):
    refusing_writes(
        monkeypatch, lambda planned: any(r.organization.name == "Refusé" for r in planned)
    )
    rows = [organization_row("Valide"), organization_row("Refusé"), organization_row("Autre")]

    for dry_run in (True, False):
        result = import_csv(rows, dry_run=dry_run)

        assert result.errors == [RowError(3, "", "the database refused this row")]
        assert str(result.errors[0]) == "row 3: the database refused this row"
        assert result.created == 0
        assert Organization.objects.count() == 0
    assert "secret_table" in caplog.text


def test_a_file_the_database_refuses_as_a_whole_is_reported_without_its_words(monkeypatch, caplog):
    # Refused in bulk but not row by row (a conflict with a concurrent write, gone when
    # the rows are tried again): the file as a whole, in the user's words.
    refusing_writes(monkeypatch, lambda planned: len(planned) > 1)

    result = import_csv([organization_row("Un"), organization_row("Deux")])

    assert result.errors == [
        RowError(None, "file", "The database refused the file; nothing was saved.")
    ]
    assert Organization.objects.count() == 0
    assert "secret_table" in caplog.text


@pytest.mark.postgres
def test_a_value_postgresql_refuses_without_naming_a_column_names_the_row(monkeypatch):
    # "value too long for type character varying(40)": PostgreSQL names no column.
    monkeypatch.setattr(Organization, "clean_fields", lambda self, exclude=None: None)

    result = import_csv([organization_row("Valide"), organization_row("Long", phone="5" * 41)])

    assert result.errors == [RowError(3, "", "the database refused this row")]
    assert Organization.objects.count() == 0


# ------------------------------------------------------ control characters ---


def control_character_message(character: str, position: int) -> str:
    return (
        f"contains the invisible control character {character} (character {position} of "
        "the cell), which cannot be imported: remove it"
    )


@pytest.mark.parametrize(
    ("column", "value", "character", "position"),
    [
        ("name", "Le\x00Phare", "U+0000", 3),
        ("slug", "le-phare\x00", "U+0000", 9),
        ("coalition", "roc-estrie\x00", "U+0000", 11),
        ("region", "qc\x00-05", "U+0000", 3),
        ("sectors", "housing;\x00", "U+0000", 9),
        ("member_count", "12\x00", "U+0000", 3),
        ("kind", "community\x00", "U+0000", 10),
        ("summary_en", "A \x01 summary", "U+0001", 3),
        ("address", "1 rue\x1bQuébec", "U+001B", 6),
        ("phone", "819\x7f555", "U+007F", 4),
        ("summary_fr", "Caf\x83 du coin", "U+0083", 4),  # cp1252 mojibake
    ],
)
def test_a_cell_with_a_control_character_rejects_its_row_naming_the_column(
    coalition, column, value, character, position
):
    # On PostgreSQL, NUL would be refused even as a lookup's parameter: the row must be
    # rejected before any query uses the cell.
    rows = [organization_row("Valide"), {**organization_row("Le Phare"), column: value}]

    result = import_csv(rows)

    assert result.errors == [RowError(3, column, control_character_message(character, position))]
    assert list(Organization.objects.all()) == [coalition]


def test_tabs_and_line_breaks_are_not_control_characters_to_refuse():
    result = import_csv([organization_row("Centre", address="1 rue King\r\nSherbrooke\tQC")])

    assert result.errors == []
    assert Organization.objects.get().address == "1 rue King\r\nSherbrooke\tQC"


def test_a_nul_in_the_header_is_not_a_csv_file():
    # UTF-16 text without a byte-order mark decodes as UTF-8 with a NUL after every letter.
    data = "name,kind\r\nCentre,community\r\n".encode("utf-16-le")

    result = import_file(data, "utf16.csv")

    assert result.errors == [RowError(None, "file", "The file is not CSV text.")]


def xlsx_with_raw_cell(xml_text: bytes) -> bytes:
    """A workbook whose cell B2 holds `xml_text` as written in the sheet's XML (control
    characters can only reach a workbook as character references)."""
    data = xlsx_bytes(["name", "summary_en", "kind"], [["Centre", "PLACEHOLDER", "community"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = content.replace(b"PLACEHOLDER", xml_text)
            target.writestr(name, content)
    return out.getvalue()


def test_an_xlsx_cell_with_a_control_character_rejects_its_row_naming_the_column():
    result = import_file(xlsx_with_raw_cell(b"R&#xE9;sum&#x9F;"), "catalogue.xlsx")

    assert result.errors == [RowError(2, "summary_en", control_character_message("U+009F", 6))]
    assert Organization.objects.count() == 0


def test_an_xlsx_cell_with_nul_is_an_unreadable_workbook():
    # XML cannot hold NUL, not even as a character reference.
    result = import_file(xlsx_with_raw_cell(b"a&#0;b"), "catalogue.xlsx")

    assert result.errors == [
        RowError(None, "file", "The file cannot be read as an XLSX workbook (ParseError).")
    ]
    assert Organization.objects.count() == 0


def test_a_nul_is_refused_whatever_the_reader_gave():
    # Whatever the file's format, its cells reach the checks as a Table.
    table = importing.Table(
        filename="catalogue.xlsx",
        columns=["name", "kind", "coalition"],
        rows=[(2, {"name": "Centre\x00", "kind": "community", "coalition": "\x00"})],
    )

    result = importing.import_table(table)

    assert result.errors == [
        RowError(2, "name", control_character_message("U+0000", 7)),
        RowError(2, "coalition", control_character_message("U+0000", 1)),
    ]
    assert Organization.objects.count() == 0


# ------------------------------------------------------------- efficiency ---


def rows_for_query_count(count: int, prefix: str) -> list[dict]:
    rows = [organization_row(f"{prefix} coalition", kind="coalition")]
    rows += [
        organization_row(
            f"{prefix} organisme {n}",
            region="qc-06",
            regions_served="qc-06;qc-13",
            sectors="housing;health-social",
            constituencies="youth",
            fields_of_activity="advocacy",
            coalition=f"{prefix} coalition",
            membership_start="2020-01-01",
        )
        for n in range(count - 1)
    ]
    return rows


def test_the_number_of_queries_does_not_grow_with_the_rows(django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as six:
        assert import_csv(rows_for_query_count(6, "Petit")).created == 6
    # SQLite inserts about 28 organizations per statement: a few more INSERTs for 60 rows.
    with django_assert_max_num_queries(len(six) + 4):
        assert import_csv(rows_for_query_count(60, "Grand")).created == 60
    assert len(six) <= 20
    assert Organization.objects.count() == 66
    assert CoalitionMembership.objects.count() == 64


# ---------------------------------------------------------- search index ---


def test_the_search_sync_is_recorded_with_the_import_and_nudged_once_after_commit(
    settings, django_capture_on_commit_callbacks
):
    # Configured but unreachable: nothing may be sent to it before the commit.
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    rows = [organization_row(f"Organisme {n}") for n in range(5)]

    with django_capture_on_commit_callbacks() as callbacks:
        result = import_csv(rows)

    assert result.created == 5
    assert len(callbacks) == 1
    created = {str(pk) for pk in Organization.objects.values_list("pk", flat=True)}
    pending = PendingChange.objects.filter(kind="organization")
    assert set(pending.values_list("object_id", flat=True)) == created


def test_a_rejected_import_queues_no_search_sync(settings, django_capture_on_commit_callbacks):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    with django_capture_on_commit_callbacks() as callbacks:
        import_csv([organization_row("Valide"), organization_row("Mauvais", region="qc-99")])

    assert callbacks == []
    assert not PendingChange.objects.exists()


def test_the_bulk_sync_is_skipped_without_elasticsearch(settings):
    settings.ELASTICSEARCH_URL = ""

    assert search.tasks.sync_documents.call("organization", ["1", "2"]) == "skipped"


@pytest.mark.elasticsearch
def test_imported_organizations_reach_the_index_and_removed_ones_leave_it(
    archive_index, index_on_commit
):
    from search import engine
    from search.index import alias_name, refresh

    with index_on_commit():
        result = import_csv(
            [
                organization_row("Coopérative funéraire", summary_fr="Une coopérative"),
                organization_row("Cuisine collective"),
            ]
        )
    assert result.created == 2
    refresh()
    hits = engine.get_client().search(index=alias_name(), query={"match_all": {}})["hits"]["hits"]
    assert {hit["_source"]["title"] for hit in hits} == {
        "Coopérative funéraire",
        "Cuisine collective",
    }

    gone = Organization.objects.get(name="Cuisine collective")
    kept = Organization.objects.get(name="Coopérative funéraire")
    Organization.objects.filter(pk=gone.pk).update(name="Renamed quietly")  # no signal
    kept_pk, gone_pk = str(kept.pk), str(gone.pk)
    with connection.cursor() as cursor:  # a row removed behind the signals' back
        cursor.execute("DELETE FROM organizations_organization WHERE id = %s", [gone_pk])

    assert search.tasks.sync_documents.call("organization", [kept_pk, gone_pk]) == (
        "indexed 1, deleted 1"
    )
    refresh()
    hits = engine.get_client().search(index=alias_name(), query={"match_all": {}})["hits"]["hits"]
    assert [hit["_source"]["title"] for hit in hits] == ["Coopérative funéraire"]


# ---------------------------------------------------------------- command ---


def test_the_command_imports_a_file_with_a_progress_bar(tmp_path):
    path = tmp_path / "organismes.csv"
    path.write_bytes(csv_bytes([organization_row("Un"), organization_row("Deux")]))
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("import_organizations", str(path), stdout=stdout, stderr=stderr)

    assert "Created 2 organizations." in stdout.getvalue()
    assert "2/2" in stderr.getvalue()  # the progress bar, on stderr
    assert Organization.objects.count() == 2


def test_the_command_lists_rejected_rows_and_fails(tmp_path):
    path = tmp_path / "organismes.csv"
    path.write_bytes(
        csv_bytes(
            [
                organization_row("Un"),
                organization_row("Deux", region="qc-99"),
                organization_row("Trois", member_count="-2"),
            ]
        )
    )
    stdout = io.StringIO()

    with pytest.raises(CommandError, match=r"^2 of 3 rows rejected; nothing was saved\.$"):
        call_command("import_organizations", str(path), "--no-progress", stdout=stdout)

    assert stdout.getvalue().splitlines() == [
        'row 3, region: unknown region "qc-99"',
        "row 4, member_count: cannot be negative (got -2)",
    ]
    assert Organization.objects.count() == 0


def test_the_command_dry_run_saves_nothing(tmp_path):
    path = tmp_path / "organismes.xlsx"
    path.write_bytes(xlsx_bytes(["name", "kind"], [["Un", "community"], ["Deux", "mutual"]]))
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command(
        "import_organizations",
        str(path),
        "--dry-run",
        "--no-progress",
        stdout=stdout,
        stderr=stderr,
    )

    assert "Dry run: 2 organizations would be created; nothing was saved." in stdout.getvalue()
    assert stderr.getvalue() == ""
    assert Organization.objects.count() == 0


def test_the_command_reports_a_rejected_file_and_a_missing_file(tmp_path):
    path = tmp_path / "organismes.csv"
    path.write_bytes(csv_bytes([organization_row("Un", colour="red")]))
    stdout = io.StringIO()

    with pytest.raises(CommandError, match=r"^The file was rejected; nothing was saved\.$"):
        call_command("import_organizations", str(path), "--no-progress", stdout=stdout)
    assert stdout.getvalue().strip() == 'row 1, colour: unknown column "colour"'

    with pytest.raises(CommandError, match=r"^Cannot read .*missing\.csv"):
        call_command("import_organizations", str(tmp_path / "missing.csv"))


# ------------------------------------------------------------ admin screen ---


@pytest.fixture
def admin_access():
    return Permission.objects.get(codename="access_admin")


@pytest.fixture
def secretariat_staff(admin_access):
    staff = UserFactory(username="secretariat")
    group = Group.objects.create(name="Secretariat staff")
    group.permissions.add(admin_access, Permission.objects.get(codename="add_organization"))
    staff.groups.add(group)
    return staff


@pytest.fixture
def organization_editor(admin_access):
    """An organization's editor: admin access and a change permission on their own
    organization only, but not the model-wide add permission."""
    editor = UserFactory(username="editor")
    editor.user_permissions.add(admin_access)
    own = OrganizationFactory(name="Our own organization")
    assign_perm("organizations.change_organization", editor, own)
    return editor


def upload(rows: list[dict], name: str = "organismes.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")


def test_staff_see_the_form_with_dry_run_checked_and_the_menu_item(client, secretariat_staff):
    client.force_login(secretariat_staff)

    response = client.get(IMPORT_URL)

    assert response.status_code == 200
    assert response.context["form"]["dry_run"].value() is True
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert IMPORT_URL in client.get("/admin/").content.decode()


def test_staff_dry_run_shows_every_rejected_row(client, secretariat_staff):
    client.force_login(secretariat_staff)
    rows = [
        organization_row("Un", region="qc-99"),
        organization_row("Deux"),
        organization_row("Trois", membership_start="2020-01-01"),
    ]

    response = client.post(IMPORT_URL, {"file": upload(rows), "dry_run": "on"})

    assert response.status_code == 200
    result = response.context["result"]
    assert result.dry_run
    assert [(e.row, e.field) for e in result.errors] == [(2, "region"), (4, "membership_start")]
    page = response.content.decode()
    assert "2 rows rejected" in page
    assert "unknown region &quot;qc-99&quot;" in page
    assert Organization.objects.count() == 0


def test_staff_import_a_file(client, secretariat_staff):
    client.force_login(secretariat_staff)

    rows = [organization_row("Un"), organization_row("Deux")]
    dry = client.post(IMPORT_URL, {"file": upload(rows), "dry_run": "on"})
    assert dry.status_code == 200
    assert "2 organizations would be created" in dry.content.decode()
    assert Organization.objects.count() == 0

    # The box unticked: the browser does not send it at all.
    response = client.post(IMPORT_URL, {"file": upload(rows)})

    assert response.status_code == 200
    assert "2 organizations created" in response.content.decode()
    assert set(Organization.objects.values_list("name", flat=True)) == {"Un", "Deux"}
    assert response.context["form"]["dry_run"].value() is True  # the next upload checks first


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            SimpleUploadedFile("notes.pdf", b"%PDF-1.7", content_type="application/pdf"),
            "Choose a CSV (.csv) or Excel workbook (.xlsx) file.",
        ),
        (
            SimpleUploadedFile("big.csv", b"name,kind\r\n" + b"x,community\r\n" * 20),
            "This file is 271\xa0bytes; the limit is 100\xa0bytes. Import it in parts.",
        ),
    ],
)
def test_staff_get_a_clear_message_for_a_wrong_or_too_large_file(
    client, secretariat_staff, monkeypatch, file, message
):
    monkeypatch.setattr(admin_import, "MAX_UPLOAD_BYTES", 100)
    client.force_login(secretariat_staff)

    response = client.post(IMPORT_URL, {"file": file, "dry_run": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}
    assert Organization.objects.count() == 0


def test_staff_see_a_file_level_error_for_a_broken_workbook(client, secretariat_staff):
    client.force_login(secretariat_staff)
    broken = SimpleUploadedFile("catalogue.xlsx", b"PK\x03\x04 broken")

    response = client.post(IMPORT_URL, {"file": broken, "dry_run": ""})

    assert response.status_code == 200
    assert response.context["result"].errors == [
        RowError(None, "file", "The file cannot be read as an XLSX workbook (BadZipFile).")
    ]
    assert "The file was rejected" in response.content.decode()


def test_an_organization_editor_is_refused_and_nothing_is_imported(client, organization_editor):
    client.force_login(organization_editor)

    get = client.get(IMPORT_URL)
    post = client.post(IMPORT_URL, {"file": upload([organization_row("Intrus")]), "dry_run": ""})

    for response in (get, post):
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    assert list(Organization.objects.values_list("name", flat=True)) == ["Our own organization"]
    assert IMPORT_URL not in client.get("/admin/").content.decode()


def test_staff_who_may_only_change_organizations_are_refused(client, admin_access):
    user = UserFactory(username="reviewer")
    user.user_permissions.add(admin_access, Permission.objects.get(codename="change_organization"))
    client.force_login(user)

    response = client.post(
        IMPORT_URL, {"file": upload([organization_row("Intrus")]), "dry_run": ""}
    )

    assert response.status_code == 302
    assert Organization.objects.count() == 0


def test_the_public_is_sent_to_the_login_page(client):
    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
