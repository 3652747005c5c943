"""The bulk downloads (`opendata.downloads`): a build writes every registered resource's
public record as the API answers it, a zip per resource with its dictionary and the
licence, and a manifest whose sizes and checksums are the files'; a failed build leaves
the previous one whole; the build reads the record in chunks of constant cost; the page
lists the files in both languages; only the manifest's files are ever served."""

import csv
import datetime
import hashlib
import io
import json
import zipfile
from itertools import pairwise
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from concertation import formats
from concertation.factories import OrganizationFactory
from opendata import tasks
from opendata.downloads import build as building
from opendata.downloads.build import MANIFEST, build, read_manifest
from opendata.resources import registry
from opendata.tasks import build_open_data_nightly
from tests.factories import publish_policy_version
from tests.opendata.test_docs import curl_examples

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PAGE = "/api/v1/downloads/"


@pytest.fixture
def folder(settings, tmp_path) -> Path:
    """The downloads' folder, a test's own; record addresses on the test client's host,
    so that the files' `url`s can be compared with the API's."""
    settings.OPEN_DATA_DOWNLOADS_DIR = tmp_path / "open-data"
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    return settings.OPEN_DATA_DOWNLOADS_DIR


@pytest.fixture
def record(home_page):
    """A small public record, and a policy version behind a view restriction."""

    class Record:
        organizations = OrganizationFactory.create_batch(3)
        public = publish_policy_version(home_page, "Released", "x")
        hidden = publish_policy_version(home_page, "Cabinet", "x")

    PageViewRestriction.objects.create(
        page=Record.hidden, restriction_type=PageViewRestriction.LOGIN
    )
    return Record


def members(folder: Path, resource: str) -> dict[str, bytes]:
    with zipfile.ZipFile(folder / f"{resource}.zip") as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def lines(content: bytes) -> list[dict]:
    return [json.loads(line) for line in content.decode().splitlines()]


def api_records(client, resource: str, language: str) -> list[dict]:
    """Every record of the API's list, page after page."""
    url, found = f"/api/v1/{resource}/?page_size=100&lang={language}", []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        found += response.json()["results"]
        url = response.json()["next"]
    return found


def test_every_registered_resource_has_its_zip_with_both_languages_dictionary_and_licence(
    folder, record
):
    manifest = build()

    listed = {entry["name"] for entry in manifest["files"]}
    for resource in registry:
        name = resource.name
        assert f"{name}.zip" in listed
        assert set(members(folder, name)) == {
            f"{name}.jsonl",
            f"{name}.csv",
            f"{name}.fr.jsonl",
            f"{name}.fr.csv",
            f"{name}.dictionary.json",
            "LICENCE.txt",
        }
    assert {"dictionary.json", "LICENCE.txt"} <= listed
    assert "creativecommons.org/licenses/by/4.0" in (folder / "LICENCE.txt").read_text()


def test_the_json_lines_are_the_apis_records_in_each_language(client, folder, record):
    build()

    for resource in registry:
        files = members(folder, resource.name)
        for language, suffix in (("en", ""), ("fr", ".fr")):
            written = lines(files[f"{resource.name}{suffix}.jsonl"])
            assert written == api_records(client, resource.name, language), resource.name


def test_the_csv_header_is_the_dictionarys_fields_and_rows_follow_the_records(folder, record):
    build()

    for resource in registry:
        files = members(folder, resource.name)
        fields = json.loads(files[f"{resource.name}.dictionary.json"])["fields"]
        table = list(csv.reader(io.StringIO(files[f"{resource.name}.csv"].decode())))
        assert table[0] == [field["name"] for field in fields], resource.name
        assert len(table) - 1 == len(lines(files[f"{resource.name}.jsonl"]))
    organizations = list(
        csv.DictReader(io.StringIO(members(folder, "organizations")["organizations.csv"].decode()))
    )
    first = record.organizations[0]
    row = next(row for row in organizations if row["id"] == str(first.pk))
    assert row["name"] == first.name
    assert row["kind.id"] == first.kind
    assert json.loads(row["sectors"]) == [
        {"id": s.code, "label": s.name, "parent": s.parent.code if s.parent_id else None}
        for s in first.sectors.all()
    ]


def test_the_manifest_gives_each_files_size_and_sha256(folder, record):
    manifest = build()

    assert read_manifest() == manifest
    for entry in manifest["files"]:
        content = (folder / entry["name"]).read_bytes()
        assert entry["size"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["built"] == manifest["built"]
    organizations = next(e for e in manifest["files"] if e["name"] == "organizations.zip")
    assert organizations["records"] == 3


def test_a_restricted_version_is_not_in_the_downloads(folder, record):
    build()

    files = members(folder, "policy-versions")
    for name in ("policy-versions.jsonl", "policy-versions.fr.jsonl"):
        written = [line["id"] for line in lines(files[name])]
        assert record.public.pk in written
        assert record.hidden.pk not in written
    assert b"Cabinet" not in b"".join(files.values())


def test_a_build_failing_half_way_leaves_the_previous_files_and_manifest(
    folder, record, monkeypatch
):
    build()
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    OrganizationFactory(name="Added after the first build")
    described = building.dictionary
    calls = []

    def fails_in_the_second_zip(resource):
        """The second resource's zip fails half-written (its members are in)."""
        calls.append(resource)
        if len(calls) == 2:
            raise OSError("disk full")
        return described(resource)

    monkeypatch.setattr(building, "dictionary", fails_in_the_second_zip)

    with pytest.raises(OSError, match="disk full"):
        build(now=timezone.now() + datetime.timedelta(days=1))

    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert not list(folder.glob(".tmp-*"))


def test_the_build_reads_the_record_in_chunks_of_constant_queries(folder, record, monkeypatch):
    """Queries per chunk of organizations are the same with 6 records as with 12: the
    relations are read per chunk, never per record, and a chunk holds at most its size."""
    monkeypatch.setattr(building, "registry", [registry_resource("organizations")])

    def chunk_queries() -> list[int]:
        counts, sizes = [], []
        with CaptureQueriesContext(connection) as queries:

            def progress(_resource, records):
                counts.append(len(queries))
                sizes.append(records)

            build(chunk_size=2, progress=progress)
        assert max(sizes) == 2
        return [later - earlier for earlier, later in pairwise(counts)]

    OrganizationFactory.create_batch(3)
    six = chunk_queries()
    OrganizationFactory.create_batch(6)
    twelve = chunk_queries()

    assert len(six) == 2 and len(twelve) == 5
    assert set(six) == set(twelve) and len(set(twelve)) == 1


def registry_resource(name: str):
    return next(resource for resource in registry if resource.name == name)


def test_the_page_lists_each_file_with_date_size_and_checksum_in_both_languages(
    client, folder, record
):
    manifest = build()
    organizations = next(e for e in manifest["files"] if e["name"] == "organizations.zip")
    built = timezone.localtime(datetime.datetime.fromisoformat(organizations["built"]))

    for language in ("en", "fr"):
        response = client.get(PAGE, {"lang": language})
        assert response.status_code == 200
        assert response["Content-Language"] == language
        page = response.content.decode()
        with translation.override(language):
            day = formats.day(built.date())
        assert day in page
        for entry in manifest["files"]:
            assert f'href="/api/v1/downloads/{entry["name"]}"' in page
            assert entry["sha256"] in page
    french = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr"' in french


def test_before_the_first_build_the_page_says_so_and_the_manifest_is_empty(client, folder):
    assert b"No downloads have been built yet" in client.get(PAGE).content
    response = client.get(f"{PAGE}manifest.json")
    assert response.status_code == 200
    assert response.json() == {"built": None, "licence": None, "files": []}


def test_a_file_is_served_whole_with_its_checksum_as_etag_and_cors(client, folder, record):
    manifest = build()
    entry = next(e for e in manifest["files"] if e["name"] == "organizations.zip")

    response = client.get(f"{PAGE}organizations.zip")

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == entry["sha256"]
    assert response["ETag"] == f'"{entry["sha256"]}"'
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "attachment" in response["Content-Disposition"]
    again = client.get(f"{PAGE}organizations.zip", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    manifest_answer = client.get(f"{PAGE}manifest.json")
    assert manifest_answer.json() == manifest
    assert manifest_answer["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "name",
    [
        "secret.txt",
        "nothing.zip",
        "..",
        ".build.lock",
        "../manifest.json",
        "%2e%2e%2fmanifest.json",
    ],
)
def test_a_name_not_in_the_manifest_is_a_404(client, folder, record, name):
    build()
    (folder / "secret.txt").write_text("not published")

    assert client.get(f"{PAGE}{name}").status_code == 404


def test_the_documentations_download_examples_answer_after_a_build(client, folder, record):
    build()
    examples = [(a, h) for a, h in curl_examples() if a.startswith(PAGE)]

    assert examples
    for address, headers in examples:
        assert client.get(address, **headers).status_code == 200, address


def test_the_command_and_the_nightly_task_build(folder, record):
    call_command("build_open_data", no_progress=True, stdout=io.StringIO())
    first = read_manifest()
    assert {e["name"] for e in first["files"]} >= {"organizations.zip", "dictionary.json"}
    (folder / MANIFEST).unlink()

    result = build_open_data_nightly.enqueue()

    assert result.return_value == {"files": len(first["files"])}
    assert read_manifest() is not None


@pytest.fixture
def deferring_queue(settings):
    """A task backend that can run tasks later and keeps what is queued (django-tasks'
    dummy backend), as the database queue of production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    return default_task_backend


def test_the_nightly_task_queues_itself_for_the_next_night_even_after_a_failed_build(
    folder, record, deferring_queue, monkeypatch
):
    build_open_data_nightly.call()
    assert read_manifest() is not None

    def fails() -> dict:
        raise OSError("disk full")

    monkeypatch.setattr(tasks, "build", fails)

    with pytest.raises(OSError):
        build_open_data_nightly.call()

    queued = [result.task.run_after for result in deferring_queue.results]
    assert queued == [tasks.next_night(), tasks.next_night()]


def test_the_next_night_is_half_past_two_local_time_today_or_tomorrow():
    at = timezone.make_aware(datetime.datetime(2026, 3, 10, 1, 0))

    assert tasks.next_night(at) == timezone.make_aware(datetime.datetime(2026, 3, 10, 2, 30))
    assert tasks.next_night(at.replace(hour=2, minute=30)) == timezone.make_aware(
        datetime.datetime(2026, 3, 11, 2, 30)
    )
