"""An organization's editors change and withdraw their own briefs: anything while the
round accepts submissions, afterwards only a narrower publication choice."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm
from wagtail.documents import get_document_model

from consultations.models import Submission, SubmissionDocument
from consultations.services.cosigning import named_co_signers
from consultations.services.rounds import change_round_state, update_submission, withdraw_submission
from tests.consultations.test_rounds import add_round
from tests.consultations.test_submissions import pdf, submit, zipped
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

ODT = {"mimetype": b"application/vnd.oasis.opendocument.text"}


@pytest.fixture
def organization():
    return OrganizationFactory(name="Our group")


@pytest.fixture
def editor(organization):
    user = UserFactory(username="editor")
    assign_perm("organizations.change_organization", user, organization)
    return user


@pytest.fixture
def brief(open_round, organization, editor) -> Submission:
    return submit(
        open_round,
        organization,
        editor,
        title="Our brief",
        summary="We ask for core funding.",
        files=[pdf("first.pdf")],
    )


def editor_of_another_organization(username: str = "other") -> object:
    user = UserFactory(username=username)
    assign_perm("organizations.change_organization", user, OrganizationFactory(name="Others"))
    return user


def changes(brief: Submission, **fields) -> dict:
    """What a form would send: the brief as it is, with `fields` changed."""
    current = {
        "title": brief.title,
        "summary": brief.summary,
        "sections": brief.sections,
        "co_signers": named_co_signers(brief.co_signatures),
        "publication": brief.publication,
    }
    return {**current, **fields}


def edit_url(round_page, submission) -> str:
    return f"{round_page.url}submissions/{submission.pk}/edit/"


def withdraw_url(round_page, submission) -> str:
    return f"{round_page.url}submissions/{submission.pk}/withdraw/"


def form_data(brief: Submission, **fields) -> dict:
    data = {
        "title": brief.title,
        "summary": brief.summary,
        "sections": brief.sections,
        "publication": brief.publication,
    }
    return {**data, **fields}


class TestWhileTheRoundIsOpen:
    def test_an_editor_changes_everything(self, brief, editor):
        partner = OrganizationFactory(name="Partner")
        first = brief.documents.get()

        update_submission(
            brief,
            editor,
            **changes(
                brief,
                title="Our revised brief",
                summary="We ask for more.",
                sections="2.3",
                co_signers=[partner],
                publication="anonymous",
            ),
            add_files=[zipped("annex.odt", ODT)],
            remove_documents=[first],
        )

        brief.refresh_from_db()
        assert (brief.title, brief.summary, brief.sections, brief.publication) == (
            "Our revised brief",
            "We ask for more.",
            "2.3",
            "anonymous",
        )
        assert [(c.organization, c.state) for c in brief.co_signatures.all()] == [
            (partner, "requested")
        ]
        assert [a.document.title for a in brief.documents.all()] == ["annex.odt"]
        assert not get_document_model().objects.filter(pk=first.document_id).exists()

    def test_a_bad_upload_changes_nothing(self, brief, editor):
        first = brief.documents.get()
        with pytest.raises(ValidationError) as refused:
            update_submission(
                brief,
                editor,
                **changes(brief, title="Changed"),
                add_files=[pdf("good.pdf"), SimpleUploadedFile("fake.pdf", b"MZ not a pdf")],
                remove_documents=[first],
            )

        assert "fake.pdf" in refused.value.message_dict["documents"][0]
        brief.refresh_from_db()
        assert brief.title == "Our brief"
        assert list(brief.documents.all()) == [first]
        assert get_document_model().objects.count() == 1

    def test_another_briefs_document_cannot_be_removed(self, open_round, brief, editor):
        organization = OrganizationFactory(name="Second group")
        assign_perm("organizations.change_organization", editor, organization)
        other = submit(open_round, organization, editor, files=[pdf("theirs.pdf")])

        with pytest.raises(ValidationError) as refused:
            update_submission(
                brief, editor, **changes(brief), remove_documents=[other.documents.get()]
            )

        assert "remove_documents" in refused.value.message_dict
        assert other.documents.count() == 1

    def test_the_editor_withdraws_the_brief_with_its_documents(self, brief, editor):
        document_id = brief.documents.get().document_id

        withdraw_submission(brief, editor)

        assert not Submission.objects.exists()
        assert not SubmissionDocument.objects.exists()
        # Wagtail deletes the file itself once the transaction commits.
        assert not get_document_model().objects.filter(pk=document_id).exists()


class TestWhoMayManageABrief:
    def test_an_editor_of_another_organization_may_not(self, brief):
        other = editor_of_another_organization()
        with pytest.raises(PermissionDenied):
            update_submission(brief, other, **changes(brief, title="Hijacked"))
        with pytest.raises(PermissionDenied):
            withdraw_submission(brief, other)
        brief.refresh_from_db()
        assert brief.title == "Our brief"

    def test_an_editor_of_a_co_signer_may_not(self, open_round, organization, editor):
        partner = OrganizationFactory(name="Partner")
        partner_editor = UserFactory(username="partner")
        assign_perm("organizations.change_organization", partner_editor, partner)
        brief = submit(open_round, organization, editor, co_signers=[partner])

        with pytest.raises(PermissionDenied):
            update_submission(brief, partner_editor, **changes(brief, title="Ours now"))
        with pytest.raises(PermissionDenied):
            withdraw_submission(brief, partner_editor)
        assert Submission.objects.get().title == "Our brief"

    def test_the_model_wide_permission_is_not_enough(self, brief):
        from django.contrib.auth.models import Permission

        staff = UserFactory(username="staff")
        staff.user_permissions.add(Permission.objects.get(codename="change_organization"))

        with pytest.raises(PermissionDenied):
            update_submission(brief, staff, **changes(brief, title="Edited by staff"))


class TestAfterTheRoundClosed:
    def test_the_title_can_no_longer_change(self, open_round, brief, editor):
        change_round_state(open_round, "closed")

        with pytest.raises(ValidationError) as refused:
            update_submission(brief, editor, **changes(brief, title="Too late"))

        assert list(refused.value.message_dict) == ["title"]
        assert "the title can no longer change" in refused.value.message_dict["title"][0]
        brief.refresh_from_db()
        assert brief.title == "Our brief"

    def test_documents_can_no_longer_be_added(self, open_round, brief, editor):
        change_round_state(open_round, "closed")
        with pytest.raises(ValidationError) as refused:
            update_submission(brief, editor, **changes(brief), add_files=[pdf("late.pdf")])
        assert "documents" in refused.value.message_dict
        assert get_document_model().objects.count() == 1

    def test_the_publication_may_be_narrowed(self, open_round, brief, editor):
        change_round_state(open_round, "closed")

        update_submission(brief, editor, **changes(brief, publication="anonymous"))
        update_submission(brief, editor, **changes(brief, publication="withheld"))

        brief.refresh_from_db()
        assert brief.publication == "withheld"
        assert not Submission.objects.published().exists()

    def test_the_publication_may_not_be_widened(self, open_round, organization, editor):
        brief = submit(open_round, organization, editor, publication="withheld")
        change_round_state(open_round, "closed")

        with pytest.raises(ValidationError) as refused:
            update_submission(brief, editor, **changes(brief, publication="anonymous"))

        assert "never widened" in refused.value.message_dict["publication"][0]
        brief.refresh_from_db()
        assert brief.publication == "withheld"

    def test_the_brief_can_no_longer_be_withdrawn(self, open_round, brief, editor):
        change_round_state(open_round, "closed")

        with pytest.raises(ValidationError) as refused:
            withdraw_submission(brief, editor)

        assert "can no longer be withdrawn" in refused.value.messages[0]
        assert Submission.objects.filter(pk=brief.pk).exists()
        assert get_document_model().objects.count() == 1

    def test_past_the_last_day_counts_as_closed(self, brief, editor):
        with pytest.raises(ValidationError):
            withdraw_submission(brief, editor, today=datetime.date(3000, 1, 1))
        assert Submission.objects.exists()


class TestTheEditPage:
    def test_an_editor_edits_through_the_round_page(self, client, open_round, brief, editor):
        client.force_login(editor)
        first = brief.documents.get()
        assert client.get(edit_url(open_round, brief)).status_code == 200

        response = client.post(
            edit_url(open_round, brief),
            form_data(
                brief,
                title="Revised through the form",
                documents=[pdf("second.pdf")],
                remove_documents=[first.pk],
            ),
        )

        assert response.status_code == 200
        assert "were saved" in response.content.decode()
        brief.refresh_from_db()
        assert brief.title == "Revised through the form"
        assert [a.document.title for a in brief.documents.all()] == ["second.pdf"]

    def test_a_bad_upload_is_named_and_nothing_changes(self, client, open_round, brief, editor):
        client.force_login(editor)

        response = client.post(
            edit_url(open_round, brief),
            form_data(
                brief,
                title="Changed",
                documents=[SimpleUploadedFile("notes.txt", b"plain text")],
            ),
        )

        assert response.status_code == 400
        assert "is not a PDF, DOCX or ODT document" in response.content.decode()
        brief.refresh_from_db()
        assert brief.title == "Our brief"
        assert brief.documents.count() == 1

    def test_an_editor_of_another_organization_gets_404(self, client, open_round, brief):
        client.force_login(editor_of_another_organization())

        assert client.get(edit_url(open_round, brief)).status_code == 404
        response = client.post(edit_url(open_round, brief), form_data(brief, title="Hijacked"))
        assert response.status_code == 404
        assert client.post(withdraw_url(open_round, brief)).status_code == 404
        brief.refresh_from_db()
        assert brief.title == "Our brief"

    def test_an_editor_of_a_co_signer_gets_404(self, client, open_round, organization, editor):
        partner = OrganizationFactory(name="Partner")
        partner_editor = UserFactory(username="partner")
        assign_perm("organizations.change_organization", partner_editor, partner)
        brief = submit(open_round, organization, editor, co_signers=[partner])
        client.force_login(partner_editor)

        assert client.get(edit_url(open_round, brief)).status_code == 404
        assert client.post(withdraw_url(open_round, brief)).status_code == 404
        assert Submission.objects.exists()

    def test_an_anonymous_visitor_is_sent_to_the_contributor_sign_in(
        self, client, open_round, brief
    ):
        for url in (edit_url(open_round, brief), withdraw_url(open_round, brief)):
            response = client.post(url)
            assert response.status_code == 302
            location = urlsplit(response["Location"])
            assert location.path == "/account/sign-in/"
            assert parse_qs(location.query) == {"next": [url]}
        assert Submission.objects.exists()

    def test_through_another_rounds_url_it_is_404(self, client, open_round, brief, editor):
        other_round = add_round(
            open_round.get_parent().specific,
            "Working group 2000",
            opens_on=datetime.date(2000, 5, 1),
            closes_on=datetime.date(2999, 6, 30),
        )
        change_round_state(other_round, "open")
        client.force_login(editor)

        assert client.get(edit_url(other_round, brief)).status_code == 404
        response = client.post(edit_url(other_round, brief), form_data(brief, title="Moved"))
        assert response.status_code == 404
        assert client.post(withdraw_url(other_round, brief)).status_code == 404
        brief.refresh_from_db()
        assert brief.title == "Our brief"

    def test_after_closing_only_a_narrower_publication_is_offered(
        self, client, open_round, brief, editor
    ):
        change_round_state(open_round, "closed")
        client.force_login(editor)

        response = client.post(
            edit_url(open_round, brief), form_data(brief, title="Too late", publication="anonymous")
        )

        assert response.status_code == 200
        brief.refresh_from_db()
        assert (brief.title, brief.publication) == ("Our brief", "anonymous")

        widened = client.post(edit_url(open_round, brief), form_data(brief, publication="named"))
        assert widened.status_code == 400
        assert "can only be narrowed" in widened.content.decode()
        brief.refresh_from_db()
        assert brief.publication == "anonymous"


class TestTheWithdrawPage:
    def test_confirm_then_withdraw(self, client, open_round, brief, editor):
        client.force_login(editor)

        confirmation = client.get(withdraw_url(open_round, brief))
        assert confirmation.status_code == 200
        assert "cannot be undone" in confirmation.content.decode()
        assert Submission.objects.exists()

        response = client.post(withdraw_url(open_round, brief))

        assert response.status_code == 200
        assert "was withdrawn" in response.content.decode()
        assert not Submission.objects.exists()
        assert not get_document_model().objects.exists()

    def test_after_closing_the_refusal_says_why(self, client, open_round, brief, editor):
        change_round_state(open_round, "closed")
        client.force_login(editor)

        response = client.post(withdraw_url(open_round, brief))

        assert response.status_code == 400
        assert "can no longer be withdrawn" in response.content.decode()
        assert Submission.objects.exists()


class TestTheLinks:
    def test_shown_only_to_those_who_manage_the_brief(self, client, open_round, brief, editor):
        change_round_state(open_round, "closed")
        edit = edit_url(open_round, brief)

        client.force_login(editor)
        assert edit in client.get(open_round.url).content.decode()

        client.force_login(editor_of_another_organization())
        body = client.get(open_round.url).content.decode()
        assert "Our brief" in body and edit not in body

        client.logout()
        assert edit not in client.get(open_round.url).content.decode()

    def test_withdraw_is_offered_while_open_only(self, client, open_round, brief, editor):
        client.force_login(editor)
        assert withdraw_url(open_round, brief) in client.get(open_round.url).content.decode()

        change_round_state(open_round, "closed")
        assert withdraw_url(open_round, brief) not in client.get(open_round.url).content.decode()

    def test_no_query_per_brief(self, client, open_round, organization, editor):
        """Who may manage which brief is one query for the page, not one per brief."""
        client.force_login(editor)
        submit(open_round, organization, editor, title="First")
        client.get(open_round.url)  # warm the caches (site root, content types)
        with CaptureQueriesContext(connection) as one:
            client.get(open_round.url)
        for title in ("Second", "Third"):
            submit(open_round, organization, editor, title=title)
        with CaptureQueriesContext(connection) as three:
            body = client.get(open_round.url).content.decode()

        assert body.count("/edit/") == 3
        assert len(three) == len(one)

    def test_the_confirmation_of_a_submission_links_to_its_edit_page(
        self, client, open_round, organization, editor
    ):
        client.force_login(editor)

        response = client.post(
            f"{open_round.url}submit/",
            {
                "organization": organization.pk,
                "title": "Brief from the form",
                "summary": "Text.",
                "publication": "named",
            },
        )

        assert edit_url(open_round, Submission.objects.get()) in response.content.decode()
