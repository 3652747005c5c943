"""Files only through the permission check: no stored file is reachable except through
the documents view, which asks one rule who may read it — under the development settings
(no /media/ route) and the production ones (the web server sends the file, by
X-Accel-Redirect, only after the check). Every file is an attachment, and no response
carries a literal "Content-Encoding: None"."""

import importlib
import os
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import clear_url_caches
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission
from wagtail.utils import sendfile

from consultations.models import PublicCopy, SubmissionDocument
from consultations.permissions.stewardship import grant_steward
from consultations.services.rounds import change_round_state
from organizations.permissions import grant_editor
from tests.factories import OrganizationFactory, UserFactory

from .brief_files import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_sending(on_disk, settings):
    """The production settings' way of sending a file: nginx's X-Accel-Redirect."""
    settings.SENDFILE_BACKEND = "django_sendfile.backends.nginx"
    settings.SENDFILE_ROOT = str(on_disk)
    settings.SENDFILE_URL = "/protected-media"
    sendfile._get_sendfile.clear()
    yield
    sendfile._get_sendfile.clear()


@pytest.fixture
def briefs(consultation, brief, index_on_commit):
    """Three briefs with a file: one published, one withheld, and — in a second, still
    open round — one not published yet; and who is who around them."""
    people = {"editor": UserFactory(username="our-editor")}
    people["other editor"] = UserFactory(username="their-editor")
    grant_editor(people["other editor"], OrganizationFactory(name="Another organization"))
    people["steward"] = UserFactory(username="steward")
    grant_steward(people["steward"], consultation)
    organization = OrganizationFactory(name="Our organization")
    grant_editor(people["editor"], organization)
    with index_on_commit():
        sent = {
            "published": brief(
                "Published", "S.", organization=organization, files=[upload("pdf", "Public.")]
            ),
            "withheld": brief(
                "Withheld",
                "S.",
                publication="withheld",
                organization=organization,
                files=[upload("docx", "Private.")],
            ),
        }
        change_round_state(consultation, "closed")
    return sent, people


def original(submission):
    return SubmissionDocument.objects.get(submission=submission).document


def public_copy(submission):
    return PublicCopy.objects.get(attachment__submission=submission).document


def get(client, user, document):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(document.url)


@pytest.mark.usefixtures("production_sending")
class TestProductionServing:
    def test_the_public_gets_only_published_copies(self, client, briefs):
        sent, _people = briefs
        answer = get(client, None, public_copy(sent["published"]))
        assert answer.status_code == 200
        assert answer["X-Accel-Redirect"].startswith("/protected-media/documents/")
        assert answer["Content-Disposition"].startswith("attachment")
        assert "Content-Encoding" not in answer
        for document in (
            original(sent["published"]),
            original(sent["withheld"]),
            public_copy(sent["withheld"]),
        ):
            refused = get(client, None, document)
            assert refused.status_code == 404
            assert "X-Accel-Redirect" not in refused

    def test_the_organization_and_the_stewards_get_the_originals(self, client, briefs):
        sent, people = briefs
        for who in ("editor", "steward"):
            for submission in sent.values():
                answer = get(client, people[who], original(submission))
                assert answer.status_code == 200, who
                assert answer["X-Accel-Redirect"]
                assert answer["Content-Disposition"].startswith("attachment")

    def test_another_organization_gets_nothing_withheld(self, client, briefs):
        sent, people = briefs
        for document in (original(sent["withheld"]), public_copy(sent["withheld"])):
            assert get(client, people["other editor"], document).status_code == 404
        assert get(client, people["other editor"], original(sent["published"])).status_code == 404

    def test_a_brief_of_an_open_round_is_not_public(
        self, client, consultation, brief, index_on_commit
    ):
        """Before its round closes a brief is not published, its copy neither."""
        with index_on_commit():
            submission = brief("Early", "S.", files=[upload("odt", "Draft.")])
        assert get(client, None, public_copy(submission)).status_code == 404
        assert get(client, None, original(submission)).status_code == 404

    def test_a_document_attached_to_nothing_is_for_staff_with_document_permissions(
        self, client, home_page
    ):
        document = get_document_model().objects.create(
            title="Internal note", file=upload("pdf", "Internal.", name="note.pdf")
        )
        assert get(client, None, document).status_code == 404
        assert get(client, UserFactory(username="someone"), document).status_code == 404
        staff = UserFactory(username="librarian")
        group = Group.objects.create(name="Librarians")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        GroupCollectionPermission.objects.create(
            group=group,
            collection=Collection.get_first_root_node(),
            permission=Permission.objects.get(codename="choose_document"),
        )
        staff.groups.add(group)
        assert get(client, staff, document).status_code == 200


class TestDevelopmentServing:
    @pytest.fixture
    def debug_urls(self, settings):
        """The URLs as `make run` builds them (DEBUG is read when they are imported)."""
        import concertation.urls

        settings.DEBUG = True
        importlib.reload(concertation.urls)
        clear_url_caches()
        yield
        settings.DEBUG = False
        importlib.reload(concertation.urls)
        clear_url_caches()

    @pytest.mark.usefixtures("on_disk", "debug_urls")
    def test_no_media_route_serves_a_withheld_file(self, client, briefs):
        sent, _people = briefs
        for submission in sent.values():
            for document in (original(submission), public_copy(submission)):
                # On disk under MEDIA_ROOT, where a static route would find it.
                assert os.path.exists(document.file.path)
                assert client.get(f"/media/{document.file.name}").status_code == 404
        answer = get(client, None, public_copy(sent["published"]))
        assert answer.status_code == 200
        assert answer["Content-Disposition"].startswith("attachment")
        assert answer.get("Content-Encoding") != "None"
        assert get(client, None, original(sent["withheld"])).status_code == 404


def test_stored_names_are_unguessable(consultation, brief, index_on_commit):
    """Each stored file sits in a folder named by 128 random bits."""
    with index_on_commit():
        submission = brief("Brief", "S.", files=[upload("pdf", "Text.", name="brief.pdf")])
    stored_names = [original(submission).file.name, public_copy(submission).file.name]
    for name in stored_names:
        assert re.fullmatch(r"documents/[0-9a-f]{32}/[\w.-]+", name), name
