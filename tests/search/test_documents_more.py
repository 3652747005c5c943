"""What the archive search documents hold beyond titles and bodies, on the real
Elasticsearch: the text of the files attached to briefs (redacted, published briefs
only), fora and funding programmes, the facet fields, and both languages of a bilingual
record."""

import datetime
import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model

from consultations.fora.models import Forum
from consultations.models import (
    PositionIndexPage,
    PositionPage,
    PublicCopy,
    Redaction,
    SubmissionCoSignature,
    SubmissionDocument,
)
from consultations.services.cosigning import name_position_co_signers
from consultations.services.rounds import change_round_state
from organizations.funding.models import Programme
from search import engine
from search.extract import MAX_CHARACTERS, extract_text
from search.index import alias_name, refresh
from search.registry import registry
from tests.cosigning import answer_all
from tests.factories import (
    ConstituencyFactory,
    OrganizationFactory,
    RegionFactory,
    SectorFactory,
    UserFactory,
    publish_policy_version,
)
from tests.search.attachments import BUILDERS, upload

TODAY = datetime.date(2000, 5, 15)
FORMATS = sorted(BUILDERS)


def found(client, text: str) -> list[str]:
    results = client.get("/search/", {"q": text}).context["results"]
    return [hit.title for hit in results.hits]


def stored(kind: str, pk) -> dict | None:
    """The document as stored in the index, or None when it is not there."""
    refresh()
    answer = (
        engine.get_client()
        .options(ignore_status=404)
        .get(index=alias_name(), id=registry.get(kind).document_id(pk))
    )
    return answer.body.get("_source")


class TestExtraction:
    """No engine needed: what `extract_text` makes of good and bad files."""

    @pytest.mark.parametrize("extension", FORMATS)
    def test_the_text_of_each_format(self, extension):
        content = BUILDERS[extension]("Our brief", "Quinquagenarian volunteers.")
        text = extract_text(io.BytesIO(content), extension)
        assert "Quinquagenarian volunteers." in text
        assert "Our brief" in text

    @pytest.mark.parametrize("extension", FORMATS)
    def test_a_corrupt_file_yields_nothing_and_a_warning(self, extension, caplog):
        broken = BUILDERS[extension]("Some text")[:60]
        with caplog.at_level(logging.WARNING, logger="search.extract"):
            assert extract_text(io.BytesIO(broken), extension, name="brief") == ""
        assert "Could not extract the text of brief" in caplog.text

    def test_the_text_is_bounded(self):
        lines = ["word " * 200] * 10
        text = extract_text(io.BytesIO(BUILDERS["docx"](*lines)), "docx", max_characters=1500)
        assert len(text) == 1500
        assert MAX_CHARACTERS == 200_000

    def test_another_format_yields_nothing(self):
        assert extract_text(io.BytesIO(b"plain text"), "txt") == ""


@pytest.mark.django_db
@pytest.mark.elasticsearch
class TestAttachedFiles:
    @pytest.mark.parametrize("extension", FORMATS)
    def test_a_published_brief_is_found_by_a_word_of_its_file(
        self, extension, client, consultation, brief, index_on_commit
    ):
        with index_on_commit():
            brief(
                "Brief with a file",
                "See the attached file.",
                files=[upload(extension, "We describe the zanzibarium approach.")],
            )
            brief(
                "Withheld brief with a file",
                "Not for the public.",
                publication="withheld",
                files=[upload(extension, "A quiet kalimbastic proposal.")],
            )
            change_round_state(consultation, "closed")

        assert found(client, "zanzibarium") == ["Brief with a file"]
        assert found(client, "kalimbastic") == []

    def test_a_file_added_later_is_indexed(self, client, consultation, brief, index_on_commit):
        with index_on_commit():
            submission = brief("Brief then a file", "Summary.")
            change_round_state(consultation, "closed")
        assert found(client, "marmelodic") == []

        with index_on_commit():
            document = get_document_model().objects.create(
                title="annex", file=upload("odt", "A marmelodic annex.")
            )
            SubmissionDocument.objects.create(submission=submission, document=document)
        assert found(client, "marmelodic") == ["Brief then a file"]

    def test_a_corrupt_file_leaves_the_brief_indexed(
        self, client, consultation, brief, index_on_commit, caplog
    ):
        with index_on_commit():
            submission = brief("Brief with a broken file", "Ordinary summary.")
        # Past the upload check (which looks only at the first bytes), broken inside.
        document = SubmissionDocument(submission=submission)
        broken = SimpleUploadedFile("broken.pdf", BUILDERS["pdf"]("Text")[:80])
        document.document = get_document_model().objects.create(title="broken", file=broken)
        with caplog.at_level(logging.WARNING), index_on_commit():
            document.save()
            change_round_state(consultation, "closed")

        assert found(client, "Ordinary") == ["Brief with a broken file"]
        # No public copy can be made of it: it waits for staff (consultations.public_copies).
        assert "Could not make a public copy" in caplog.text
        assert PublicCopy.objects.get(attachment=document).state == "waiting"

    @pytest.mark.parametrize("extension", FORMATS)
    def test_a_redacted_passage_inside_a_file_is_not_found(
        self, extension, client, consultation, brief, index_on_commit
    ):
        with index_on_commit():
            submission = brief(
                "Brief naming someone",
                "Our summary.",
                # The PDF breaks the passage across two lines.
                files=[upload(extension, "Our director Josephine", "Quillfeather disagrees.")],
            )
            change_round_state(consultation, "closed")
        assert found(client, "Quillfeather") == ["Brief naming someone"]

        with index_on_commit():
            Redaction.objects.create(
                submission=submission,
                passage="Josephine Quillfeather",
                reason="personal information",
            )

        assert found(client, "Quillfeather") == []
        assert found(client, "Josephine") == []
        assert found(client, "director") == ["Brief naming someone"]
        assert "Quillfeather" not in stored("submission", submission.pk)["body"]


@pytest.mark.django_db
@pytest.mark.elasticsearch
class TestForaAndProgrammes:
    def test_a_forum_is_searchable_with_its_facets(self, client, archive_index, index_on_commit):
        region = RegionFactory(code="bas-saint-laurent")
        with index_on_commit():
            convenor = OrganizationFactory(name="Regional health agency", kind="government")
            forum = Forum.objects.create(
                name="Table of the elderly",
                slug="table-of-the-elderly",
                level="regional",
                kind="sector_table",
                convenor=convenor,
                region=region,
                active_from=datetime.date(2001, 3, 1),
                description="Where caregivers meet the ministry.",
            )
        assert found(client, "caregivers") == ["Table of the elderly"]
        assert found(client, "coalition agency") == ["Table of the elderly"]  # kind, convenor

        with index_on_commit():
            forum.sectors.set([SectorFactory(code="elderly")])
        document = stored("forum", forum.pk)
        assert document["url"] == "/fora/table-of-the-elderly/"
        assert document["sector"] == ["elderly"]
        assert document["region"] == ["bas-saint-laurent"]
        assert document["organization"] == [convenor.slug]
        assert document["year"] == 2001

        with index_on_commit():
            forum.delete()
        assert stored("forum", forum.pk) is None

    def test_a_programme_is_searchable_with_its_funder(
        self, client, archive_index, index_on_commit
    ):
        with index_on_commit():
            funder = OrganizationFactory(name="Ministry of finance", kind="government")
            programme = Programme.objects.create(
                name="Support for community action",
                slug="paca",
                funder=funder,
                mode="global_mission",
                first_fiscal_year=2001,
                description="Core funding for autonomous groups.",
            )
        assert found(client, "core funding") == ["Support for community action"]
        assert found(client, "finance global mission") == ["Support for community action"]
        document = stored("programme", programme.pk)
        assert document["organization"] == [funder.slug]
        assert document["year"] == 2001
        assert document["url"] == "/funding/?programme=paca" or "programme=paca" in document["url"]


@pytest.mark.django_db
@pytest.mark.elasticsearch
class TestFacets:
    def test_versions_rounds_and_briefs_name_their_policy_and_organizations(
        self, consultation, brief, index_on_commit
    ):
        policy_slug = consultation.get_parent().slug
        sector, region = SectorFactory(code="housing"), RegionFactory(code="gaspesie")
        constituency = ConstituencyFactory(code="tenants")
        author = OrganizationFactory(
            name="Tenants' committee",
            sectors=[sector],
            region=region,
            constituencies=[constituency],
        )
        co_signer = OrganizationFactory(name="Housing coalition")
        with index_on_commit():
            named = brief("Named brief", "Text.", organization=author, co_signers=[co_signer])
            anonymous = brief(
                "Anonymous brief",
                "Text.",
                publication="anonymous",
                organization=OrganizationFactory(name="Shy group"),
                co_signers=[co_signer],
            )
            answer_all(SubmissionCoSignature.objects.all())
            change_round_state(consultation, "closed")

        version = stored("policy_version", consultation.version_id)
        assert version["policy"] == policy_slug
        assert version["year"] == 2000

        round_document = stored("consultation_round", consultation.pk)
        assert round_document["policy"] == policy_slug
        assert round_document["organization"] == [consultation.convenor.slug]
        assert round_document["year"] == 2000

        named_document = stored("submission", named.pk)
        assert named_document["policy"] == policy_slug
        assert named_document["organization"] == [author.slug, co_signer.slug]
        assert named_document["sector"] == ["housing"]
        assert named_document["region"] == ["gaspesie"]
        assert named_document["constituency"] == ["tenants"]
        assert named_document["year"] == named.submitted_at.year

        # Without the name, nothing that could point at the author.
        anonymous_document = stored("submission", anonymous.pk)
        assert anonymous_document["policy"] == policy_slug
        assert anonymous_document["organization"] == []
        assert "sector" not in anonymous_document
        assert "region" not in anonymous_document

    def test_positions_and_organizations(self, home_page, archive_index, index_on_commit):
        version = publish_policy_version(home_page, "Version one", "Text.")
        index = home_page.add_child(instance=PositionIndexPage(title="Positions"))
        index.save_revision().publish()
        coalition = OrganizationFactory(name="Coalition", sectors=[SectorFactory(code="food")])
        co_signer = OrganizationFactory(name="Food bank")
        with index_on_commit():
            position = index.add_child(
                instance=PositionPage(
                    title="Our position",
                    organization=coalition,
                    policy=version.get_parent().specific,
                    stated_on=datetime.date(1999, 9, 1),
                    body="<p>Text.</p>",
                )
            )
            name_position_co_signers(position, [co_signer], UserFactory(is_superuser=True))
            answer_all(position.co_signatures.all())
            position.save_revision().publish()

        document = stored("position", position.pk)
        assert document["policy"] == version.get_parent().slug
        assert document["organization"] == [coalition.slug, co_signer.slug]
        assert document["sector"] == ["food"]
        assert document["year"] == 1999

        with index_on_commit():
            organization = OrganizationFactory(name="Indexed on its own")
        assert stored("organization", organization.pk)["organization"] == [organization.slug]


@pytest.mark.django_db
@pytest.mark.elasticsearch
class TestBothLanguages:
    """An organization's summaries, one per language, are in one body whose French and
    English sub-fields let a query in either language find either."""

    def test_an_english_query_finds_a_french_only_summary(
        self, client, archive_index, index_on_commit
    ):
        with index_on_commit():
            OrganizationFactory(
                name="Regroupement A",
                summary_fr="Nous représentons les fédérations régionales d'entraide.",
            )
        assert found(client, "regional federation") == ["Regroupement A"]
        assert found(client, "entraide") == ["Regroupement A"]

    def test_a_french_query_finds_an_english_only_summary(
        self, client, archive_index, index_on_commit
    ):
        with index_on_commit():
            OrganizationFactory(
                name="Group B", summary_en="We run popular education workshops for adults."
            )
        assert found(client, "l'éducation") == ["Group B"]
        # Accents folded, elision removed, stems and near spellings matched…
        assert found(client, "éducation populaire") == ["Group B"]
        # …but nothing is translated.
        assert found(client, "ateliers") == []
        assert found(client, "workshop") == ["Group B"]
