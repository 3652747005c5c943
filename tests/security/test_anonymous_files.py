"""Anonymous briefs have no author: the public copies of an anonymous brief's files have
neutral titles, file names and addresses and no metadata, and before publication the
stewards are shown where the text names the submitting organization."""

import pytest
from django.urls import reverse

from consultations.mentions import organization_mentions
from consultations.models import PublicCopy, Redaction
from consultations.permissions.stewardship import grant_steward
from consultations.services.rounds import change_round_state
from tests.factories import OrganizationFactory, UserFactory
from tests.search.test_documents_more import found, stored

from .brief_files import FORMATS, everything_readable, read, upload

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.elasticsearch,
    pytest.mark.usefixtures("on_disk"),
]

NAME = "Comité logement Rive-Sud"


@pytest.mark.parametrize("extension", FORMATS)
def test_an_anonymous_copy_carries_no_name(extension, client, consultation, brief, index_on_commit):
    """The organization's name is in the uploaded file's name and its metadata: the
    public title, file name, address, metadata and search hit hold none of it."""
    organization = OrganizationFactory(name=NAME)
    with index_on_commit():
        submission = brief(
            "Housing brief",
            "Our brief on housing.",
            publication="anonymous",
            organization=organization,
            files=[
                upload(
                    extension,
                    "We ask for a housing fund.",
                    name=f"Memoire Comite logement Rive-Sud.{extension}",
                    author=NAME,
                )
            ],
        )
        change_round_state(consultation, "closed")

    copy = PublicCopy.objects.select_related("document").get(attachment__submission=submission)
    assert copy.is_ready, copy.reason
    assert copy.document.title == f"Brief {submission.pk}, document 1"
    assert copy.document.filename == f"brief-{submission.pk}-document-1.{extension}"
    for shown in (copy.document.title, copy.document.url, copy.document.file.name):
        assert "rive" not in shown.lower() and "comite" not in shown.lower()
    readable = everything_readable(read(copy.document), extension)
    assert "Rive-Sud" not in readable and "Comit" not in readable
    answer = client.get(copy.document.url)
    assert answer.status_code == 200
    assert "rive" not in answer["Content-Disposition"].lower()

    assert found(client, "housing fund") == ["Housing brief"]
    document = stored("submission", submission.pk)
    assert "rive" not in str(document).lower()
    page = client.get(consultation.url).content.decode()
    assert "Memoire" not in page and NAME not in page


def test_a_named_brief_keeps_its_title_but_not_its_file_name(consultation, brief, index_on_commit):
    """A named brief's copy keeps the title the organization gave its file; the stored
    and downloaded name is the neutral one, so a draft's name never reaches a URL."""
    with index_on_commit():
        submission = brief(
            "Named brief",
            "Summary.",
            files=[upload("pdf", "Text.", name="draft v3 by Marie Tremblay.pdf")],
        )
    copy = PublicCopy.objects.select_related("document").get(attachment__submission=submission)
    assert copy.document.title == "draft v3 by Marie Tremblay"
    assert "tremblay" not in copy.document.url.lower()
    assert "tremblay" not in copy.document.file.name.lower()


def test_staff_see_where_the_text_names_the_organization(
    client, consultation, brief, index_on_commit
):
    """The summary and the file name the organization, in other case, without accents
    or by its initials: each place is listed for the stewards; once redacted, it is not."""
    organization = OrganizationFactory(name=NAME)
    with index_on_commit():
        submission = brief(
            "Anonymous brief",
            "As the COMITE LOGEMENT RIVE-SUD has long argued, rents rise.",
            publication="anonymous",
            organization=organization,
            files=[upload("docx", "Signed: the CLRS board of directors.")],
        )
    places = {(mention.where, mention.name) for mention in organization_mentions(submission)}
    assert ("Summary", NAME) in places
    assert any(name == "CLRS" and where.startswith("File 1") for where, name in places)

    steward = UserFactory(username="steward")
    grant_steward(steward, consultation)
    client.force_login(steward)
    screen = client.get(reverse("consultations_submission_files", args=[submission.pk]))
    assert screen.status_code == 200
    assert "[COMITE LOGEMENT RIVE-SUD]" in screen.content.decode()
    assert "[CLRS]" in screen.content.decode()

    with index_on_commit():
        Redaction.objects.create(
            submission=submission, passage="COMITE LOGEMENT RIVE-SUD", reason="author"
        )
        Redaction.objects.create(submission=submission, passage="CLRS", reason="author")
    assert organization_mentions(submission) == []


def test_others_may_not_open_the_files_screen(client, consultation, brief, index_on_commit):
    """The organization's editors and other staff do not see the stewards' screen."""
    with index_on_commit():
        submission = brief("Brief", "Summary.", files=[upload("odt", "Text.")])
    client.force_login(UserFactory(username="someone", is_staff=True))
    screen = client.get(reverse("consultations_submission_files", args=[submission.pk]))
    assert screen.status_code in (302, 403)
