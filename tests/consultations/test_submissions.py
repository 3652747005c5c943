"""Briefs sent to a round: who may send them, when, with which files, and when the
public may read them."""

import datetime
import io
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from guardian.shortcuts import assign_perm
from wagtail.documents import get_document_model

from consultations.models import Redaction, Submission
from consultations.services.rounds import change_round_state, submit_brief
from consultations.uploads import MAX_DOCUMENT_BYTES
from tests.factories import OrganizationFactory, UserFactory
from tests.search.attachments import pdf_with_text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2000, 5, 15)
# A real one-page PDF: a file that only starts with "%PDF-" is refused.
PDF = pdf_with_text("We ask for core funding.")


def may_be_served(document, user) -> bool:
    """What the document-serving hook decides for this user (the serving itself is
    Wagtail's; the test settings keep files in memory)."""
    from django.http import Http404
    from django.test import RequestFactory

    from consultations.wagtail_hooks import serve_only_to_readers

    request = RequestFactory().get(document.url)
    request.user = user
    try:
        serve_only_to_readers(document, request)
    except Http404:
        return False
    return True


def pdf(name="brief.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def zipped(name: str, parts: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def editor_of():
    def make(organization, username="editor"):
        user = UserFactory(username=username)
        assign_perm("organizations.change_organization", user, organization)
        return user

    return make


def submit(round_page, organization, user, **fields):
    defaults = {"title": "Our brief", "summary": "We ask for core funding.", "today": TODAY}
    return submit_brief(round_page, organization, user, **{**defaults, **fields})


class TestSubmitting:
    def test_an_editor_submits_with_documents_and_co_signers(self, open_round, editor_of):
        coalition = OrganizationFactory(name="Regroupement", kind="coalition")
        member = OrganizationFactory(name="Member group")
        submission = submit(
            open_round,
            coalition,
            editor_of(coalition),
            files=[
                pdf(),
                zipped(
                    "brief.docx", {"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}
                ),
                zipped("brief.odt", {"mimetype": b"application/vnd.oasis.opendocument.text"}),
            ],
            co_signers=[member],
            sections="1, 2",
        )

        assert submission.documents.count() == 3
        assert [(c.organization, c.state) for c in submission.co_signatures.all()] == [
            (member, "requested")
        ]

    def test_after_closing_nothing_is_stored(self, open_round, editor_of):
        organization = OrganizationFactory()
        change_round_state(open_round, "closed")

        with pytest.raises(ValidationError) as refused:
            submit(open_round, organization, editor_of(organization), files=[pdf()])

        assert "round" in refused.value.message_dict
        # Its dates as the language writes them, never 2000-05-01.
        assert "May 1, 2000 – June 30, 2999" in refused.value.message_dict["round"][0]
        assert not Submission.objects.exists()
        assert not get_document_model().objects.exists()

    def test_after_the_deadline_day_even_if_not_yet_closed(self, open_round, editor_of):
        organization = OrganizationFactory()
        with pytest.raises(ValidationError):
            submit(
                open_round, organization, editor_of(organization), today=datetime.date(3000, 1, 1)
            )

    def test_only_an_editor_of_the_organization_may_submit_for_it(self, open_round, editor_of):
        ours, theirs = OrganizationFactory(name="Ours"), OrganizationFactory(name="Theirs")
        with pytest.raises(PermissionDenied):
            submit(open_round, theirs, editor_of(ours))
        assert not Submission.objects.exists()

    @pytest.mark.parametrize(
        "upload",
        [
            SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
            SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"),
            SimpleUploadedFile("fake.docx", b"PK\x03\x04 broken zip"),
        ],
        ids=["not-a-document-extension", "not-really-a-pdf", "not-really-a-docx"],
    )
    def test_a_file_that_is_not_a_document_is_refused(self, open_round, editor_of, upload):
        organization = OrganizationFactory()
        with pytest.raises(ValidationError) as refused:
            submit(open_round, organization, editor_of(organization), files=[pdf(), upload])
        assert "documents" in refused.value.message_dict
        assert not Submission.objects.exists()
        assert not get_document_model().objects.exists()

    def test_a_file_too_large_is_refused(self, open_round, editor_of):
        organization = OrganizationFactory()
        big = pdf(content=PDF + b"0" * MAX_DOCUMENT_BYTES)
        with pytest.raises(ValidationError) as refused:
            submit(open_round, organization, editor_of(organization), files=[big])
        assert "limit" in refused.value.message_dict["documents"][0]


class TestPublication:
    def test_published_only_once_the_round_closes_and_as_chosen(
        self, client, open_round, editor_of
    ):
        named_org = OrganizationFactory(name="Named group")
        anonymous_org = OrganizationFactory(name="Shy group")
        withheld_org = OrganizationFactory(name="Private group")
        submit(open_round, named_org, editor_of(named_org, "a"), title="Named brief")
        submit(
            open_round,
            anonymous_org,
            editor_of(anonymous_org, "b"),
            title="Anonymous brief",
            publication="anonymous",
        )
        submit(
            open_round,
            withheld_org,
            editor_of(withheld_org, "c"),
            title="Withheld brief",
            publication="withheld",
        )

        while_open = client.get(open_round.url).content.decode()
        assert "Named brief" not in while_open

        change_round_state(open_round, "closed")
        after = client.get(open_round.url).content.decode()
        assert "Named brief" in after and "Named group" in after
        assert "Anonymous brief" in after and "Shy group" not in after
        assert "Withheld brief" not in after and "Private group" not in after

    def test_editors_see_their_own_unpublished_brief(self, client, open_round, editor_of):
        organization = OrganizationFactory(name="Our group")
        editor = editor_of(organization)
        submit(open_round, organization, editor, title="Our draft brief")
        client.force_login(editor)

        body = client.get(open_round.url).content.decode()

        assert "Our draft brief" in body
        assert "Not published" in body

    def test_redacted_passages_are_hidden_with_their_reason(self, client, open_round, editor_of):
        organization = OrganizationFactory()
        submission = submit(
            open_round,
            organization,
            editor_of(organization),
            summary="We ask for funding. Our director, Jane Doe, lives at 12 Main St.",
        )
        Redaction.objects.create(
            submission=submission, passage="lives at 12 Main St.", reason="personal information"
        )
        change_round_state(open_round, "closed")

        body = client.get(open_round.url).content.decode()

        assert "12 Main St." not in body
        assert "[redacted: personal information]" in body

    def test_an_unpublished_briefs_document_is_not_served(self, client, open_round, editor_of):
        organization = OrganizationFactory()
        editor = editor_of(organization)
        submission = submit(open_round, organization, editor, files=[pdf()])
        document = submission.documents.get().document

        assert client.get(document.url).status_code == 404
        assert not may_be_served(document, AnonymousUser())
        assert may_be_served(document, editor)

    def test_a_published_briefs_public_copy_is_served_not_its_original(
        self, open_round, editor_of, run_on_commit
    ):
        """The public reads a published brief's files as their public copies
        (`consultations.public_copies`); the original stays with its organization."""
        organization = OrganizationFactory()
        editor = editor_of(organization)
        with run_on_commit():
            submission = submit(open_round, organization, editor, files=[pdf()])
            change_round_state(open_round, "closed")

        attached = submission.documents.get()
        assert may_be_served(attached.public_copy.document, AnonymousUser())
        assert not may_be_served(attached.document, AnonymousUser())
        assert may_be_served(attached.document, editor)


class TestTheForm:
    def test_an_editor_submits_through_the_round_page(self, client, open_round, editor_of):
        organization = OrganizationFactory(name="Form group")
        client.force_login(editor_of(organization))

        response = client.post(
            f"{open_round.url}submit/",
            {
                "organization": organization.pk,
                "title": "Brief from the form",
                "summary": "Text.",
                "publication": "named",
                "documents": [pdf()],
            },
        )

        assert response.status_code == 200
        assert "was received" in response.content.decode()
        assert Submission.objects.get().documents.count() == 1

    def test_a_bad_file_is_named_and_nothing_is_stored(self, client, open_round, editor_of):
        organization = OrganizationFactory()
        client.force_login(editor_of(organization))

        response = client.post(
            f"{open_round.url}submit/",
            {
                "organization": organization.pk,
                "title": "Brief",
                "summary": "Text.",
                "publication": "named",
                "documents": [SimpleUploadedFile("notes.txt", b"plain text")],
            },
        )

        assert response.status_code == 400
        assert "is not a PDF, DOCX or ODT document" in response.content.decode()
        assert not Submission.objects.exists()

    def test_someone_who_edits_no_organization_is_refused(self, client, open_round):
        client.force_login(UserFactory(username="nobody"))
        assert client.get(f"{open_round.url}submit/").status_code == 403

    def test_an_anonymous_visitor_is_sent_to_the_contributor_sign_in(self, client, open_round):
        response = client.get(f"{open_round.url}submit/")
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == "/account/sign-in/"
        assert parse_qs(location.query) == {"next": [f"{open_round.url}submit/"]}

    def test_an_editor_cannot_pick_another_organization(self, client, open_round, editor_of):
        ours, theirs = OrganizationFactory(name="Ours"), OrganizationFactory(name="Theirs")
        client.force_login(editor_of(ours))

        response = client.post(
            f"{open_round.url}submit/",
            {"organization": theirs.pk, "title": "x", "summary": "y", "publication": "named"},
        )

        assert response.status_code == 400
        assert not Submission.objects.exists()
