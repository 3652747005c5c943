"""Hostile files: no file sent to the record can exhaust a worker or carry active content.

Zip bombs in DOCX and ODT clothing, PDFs with JavaScript, launch or open actions, and a
file that only starts like a PDF are refused at upload — through the public brief forms
and the admin — with the file and the reason named on the field and nothing stored; a
brief is held to a number of files and bytes; and a bomb already in storage (sent before
these checks, or built to pass them) costs the indexing worker nothing: it is parsed in
a subprocess that its limits kill, yields no text, and is not parsed again.
"""

import functools
import io
import logging
import resource

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from guardian.shortcuts import assign_perm
from wagtail.documents import get_document_model
from wagtail.models import Collection

from consultations.models import Submission
from search.extract import document_text, extract_text
from tests.consultations.conftest import open_round  # noqa: F401 - a fixture
from tests.consultations.test_submissions import submit
from tests.factories import OrganizationFactory, UserFactory
from tests.search.attachments import docx_with_text, pdf_with_text
from tests.security import hostile_files

pytestmark = pytest.mark.django_db

MEGABYTE = 1024 * 1024

# Each builder runs once per test run: the bombs take a second to write.
docx_bomb = functools.cache(hostile_files.docx_bomb)
odt_bomb = functools.cache(hostile_files.odt_bomb)

HOSTILE = {
    "docx-bomb": ("brief.docx", docx_bomb, "would expand to 190."),
    "odt-bomb": ("brief.odt", odt_bomb, "would expand to 190."),
    "high-ratio-member": (
        "annex.docx",
        hostile_files.docx_with_high_ratio_member,
        "its part “word/media/filler.bin” expands",
    ),
    "thousands-of-parts": (
        "annex.docx",
        hostile_files.docx_with_many_members,
        "a document may hold at most 1000",
    ),
    "javascript-in-names": (
        "brief.pdf",
        hostile_files.pdf_with_javascript_in_names,
        "it contains JavaScript",
    ),
    "open-action-javascript": (
        "brief.pdf",
        hostile_files.pdf_with_open_action_javascript,
        "it runs an action when it is opened",
    ),
    "launch-action": (
        "brief.pdf",
        hostile_files.pdf_with_launch_action,
        "an action that launches a program",
    ),
    "page-opening-javascript": (
        "brief.pdf",
        hostile_files.pdf_with_page_javascript_on_open,
        "it runs actions automatically",
    ),
    "pdf-header-then-garbage": (
        "brief.pdf",
        hostile_files.pdf_header_then_garbage,
        "it is not a valid PDF document",
    ),
}


def hostile(case: str) -> tuple[SimpleUploadedFile, str]:
    """The upload of `case` and what its refusal must say."""
    name, build, reason = HOSTILE[case]
    return SimpleUploadedFile(name, build()), reason


def good_pdf(name: str = "good.pdf", size: int = 0) -> SimpleUploadedFile:
    content = hostile_files.pdf_of_size(size) if size else pdf_with_text("A good brief.")
    return SimpleUploadedFile(name, content)


@pytest.fixture
def organization():
    return OrganizationFactory(name="Our group")


@pytest.fixture
def editor(client, organization):
    user = UserFactory(username="editor")
    assign_perm("organizations.change_organization", user, organization)
    client.force_login(user)
    return user


def send_brief(client, round_page, organization, files):
    return client.post(
        f"{round_page.url}submit/",
        {
            "organization": organization.pk,
            "title": "Our brief",
            "summary": "Text.",
            "publication": "named",
            "documents": files,
        },
    )


def edit_brief(client, round_page, submission, files, remove=()):
    return client.post(
        f"{round_page.url}submissions/{submission.pk}/edit/",
        {
            "title": submission.title,
            "summary": submission.summary,
            "publication": submission.publication,
            "documents": files,
            "remove_documents": [attachment.pk for attachment in remove],
        },
    )


def field_errors(response, field: str = "documents") -> str:
    assert response.status_code == 400
    return " ".join(response.context["form"].errors[field])


class TestRefusedAtUpload:
    @pytest.mark.parametrize("case", sorted(HOSTILE))
    def test_through_the_brief_form(self, client, open_round, organization, editor, case):  # noqa: F811
        """A hostile file sent with a good one: the form names it and why on the
        documents field, and neither the brief nor any file is stored."""
        upload, reason = hostile(case)

        response = send_brief(client, open_round, organization, [good_pdf(), upload])

        errors = field_errors(response)
        assert f"“{upload.name}” was refused" in errors
        assert reason in errors
        assert "good.pdf" not in errors
        assert not Submission.objects.exists()
        assert not get_document_model().objects.exists()

    @pytest.mark.parametrize("case", ["docx-bomb", "javascript-in-names"])
    def test_through_the_edit_form(self, client, open_round, organization, editor, case):  # noqa: F811
        """Adding a hostile file to a brief already sent changes nothing."""
        brief = submit(open_round, organization, editor, files=[good_pdf("first.pdf")])
        upload, reason = hostile(case)

        response = edit_brief(client, open_round, brief, [upload])

        assert reason in field_errors(response)
        assert [a.document.title for a in brief.documents.all()] == ["first.pdf"]

    def test_a_file_the_inspection_cannot_finish_is_refused(
        self,
        client,
        open_round,  # noqa: F811
        organization,
        editor,
        settings,
    ):
        """The inspection fails closed: a file that exhausts the checking subprocess's
        memory (here a 15 MB PDF against a 30 MB allowance) is refused, not let through."""
        settings.EXTRACTION_MEMORY_MEGABYTES = 30
        upload = good_pdf("annex.pdf", size=15 * MEGABYTE)

        response = send_brief(client, open_round, organization, [upload])

        errors = field_errors(response)
        assert "“annex.pdf” was refused" in errors
        assert "could not be checked within the time and memory allowed" in errors
        assert not Submission.objects.exists()

    def test_through_the_admin(self, client, organization):
        """Staff uploading a document in the admin get the same checks."""
        client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
        upload, reason = hostile("open-action-javascript")

        response = client.post(
            reverse("wagtaildocs:add"),
            {"title": "Annex", "file": upload, "collection": Collection.get_first_root_node().pk},
        )

        assert response.status_code == 200
        assert reason in " ".join(response.context["form"].errors["file"])
        assert not get_document_model().objects.exists()

    def test_an_ordinary_pdf_opening_at_its_first_page_is_accepted(
        self,
        client,
        open_round,  # noqa: F811
        organization,
        editor,
    ):
        """Many PDF writers set an open action that only shows the first page: that is
        not active content."""
        upload = SimpleUploadedFile("brief.pdf", hostile_files.pdf_with_a_plain_open_destination())
        docx = SimpleUploadedFile("brief.docx", docx_with_text("Our position."))

        response = send_brief(client, open_round, organization, [upload, docx])

        assert response.status_code == 200
        assert Submission.objects.get().documents.count() == 2


class TestLimitsPerBrief:
    def test_too_many_files(self, client, open_round, organization, editor, settings):  # noqa: F811
        settings.BRIEF_MAX_DOCUMENTS = 2

        response = send_brief(
            client, open_round, organization, [good_pdf(f"{n}.pdf") for n in range(3)]
        )

        assert "at most 2 documents; this one would have 3" in field_errors(response)
        assert not Submission.objects.exists()

    def test_too_many_bytes(self, client, open_round, organization, editor, settings):  # noqa: F811
        settings.BRIEF_MAX_MEGABYTES = 1
        files = [good_pdf(f"{n}.pdf", size=600_000) for n in range(2)]

        response = send_brief(client, open_round, organization, files)

        assert "may total at most 1.0\xa0MB" in field_errors(response)
        assert not get_document_model().objects.exists()

    def test_the_edit_form_counts_the_files_kept(
        self,
        client,
        open_round,  # noqa: F811
        organization,
        editor,
        settings,
    ):
        """A brief at its limit takes no more files, but may replace one."""
        settings.BRIEF_MAX_DOCUMENTS = 2
        brief = submit(
            open_round, organization, editor, files=[good_pdf("1.pdf"), good_pdf("2.pdf")]
        )

        refused = edit_brief(client, open_round, brief, [good_pdf("3.pdf")])
        assert "at most 2 documents; this one would have 3" in field_errors(refused)
        assert brief.documents.count() == 2

        replaced = edit_brief(
            client, open_round, brief, [good_pdf("3.pdf")], remove=[brief.documents.first()]
        )
        assert replaced.status_code == 200
        assert brief.documents.count() == 2

    def test_the_edit_form_counts_the_bytes_kept(
        self,
        client,
        open_round,  # noqa: F811
        organization,
        editor,
        settings,
    ):
        settings.BRIEF_MAX_MEGABYTES = 1
        brief = submit(open_round, organization, editor, files=[good_pdf("1.pdf", size=600_000)])

        response = edit_brief(client, open_round, brief, [good_pdf("2.pdf", size=600_000)])

        assert "may total at most 1.0\xa0MB" in field_errors(response)
        assert brief.documents.count() == 1


def stored(name: str, content: bytes):
    """A document put straight into storage, as one sent before the upload checks."""
    return get_document_model().objects.create(title=name, file=ContentFile(content, name=name))


class TestExtractionOfFilesInStorage:
    @pytest.fixture(autouse=True)
    def _empty_cache(self):
        cache.clear()

    @pytest.mark.parametrize("build", [docx_bomb, odt_bomb], ids=["docx", "odt"])
    def test_a_bomb_yields_no_text_once_and_for_all(self, build, caplog):
        """The 190 MB bomb of the issue, already in storage: no text, a warning saying
        why, and a rebuild does not parse it again."""
        document = stored(f"bomb.{'odt' if build is odt_bomb else 'docx'}", build())

        with caplog.at_level(logging.WARNING, logger="search.extract"):
            assert document_text(document) == ""
        assert "unzipped_too_large" in caplog.text

        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="search.extract"):
            assert document_text(document) == ""
        assert caplog.text == ""

    def test_a_bomb_built_to_pass_the_checks_is_killed_by_its_limits(self, settings, caplog):
        """Container limits loosened (a bomb built to slip under them): the parser runs
        out of the memory it is allowed in its own process, the text is "", and the
        test process — standing in for the indexing worker — does not grow. A normal
        file still extracts afterwards."""
        settings.DOCUMENT_MAX_UNZIPPED_MEGABYTES = 1000
        settings.DOCUMENT_MAX_COMPRESSION_RATIO = 1_000_000
        bomb = hostile_files.docx_bomb(40 * MEGABYTE)
        peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes

        with caplog.at_level(logging.WARNING, logger="search.extract"):
            text = extract_text(io.BytesIO(bomb), "docx", name="bomb")

        assert text == ""
        assert "Could not extract the text of bomb" in caplog.text
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
        assert grown < 150 * 1024
        normal = docx_with_text("Quinquagenarian volunteers.")
        assert extract_text(io.BytesIO(normal), "docx") == "Quinquagenarian volunteers."
