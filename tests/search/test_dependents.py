"""An organization's name and facets show in other records' documents (the fora it
convenes, the programmes it funds, the briefs it sends or co-signs, the rounds it
convenes): changing it re-syncs them after commit. Real engines."""

import pytest

from consultations.services.cosigning import name_brief_co_signers
from consultations.services.rounds import change_round_state
from search import engine
from search.index import alias_name, refresh
from search.registry import registry
from tests.cosigning import answer_all
from tests.factories import ForumFactory, OrganizationFactory, ProgrammeFactory, SectorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


def stored(kind: str, pk) -> dict:
    refresh()
    document_id = registry.get(kind).document_id(pk)
    return engine.get_client().get(index=alias_name(), id=document_id)["_source"]


def test_renaming_an_organization_reaches_the_records_that_show_it(
    consultation, brief, index_on_commit
):
    with index_on_commit():
        submission = brief("Joint brief", "On autonomy.")
        author = submission.organization
        co_signer = OrganizationFactory(name="Old co-signer name", slug="co-signer")
        name_brief_co_signers(submission, [co_signer], None)
        answer_all(submission.co_signatures.all())
        forum = ForumFactory(convenor=co_signer)
        programme = ProgrammeFactory(funder=co_signer)
        change_round_state(consultation, "closed")
    assert "Old co-signer name" in stored("forum", forum.pk)["body"]

    with index_on_commit():
        co_signer.name = "New co-signer name"
        co_signer.save()
        author.sectors.add(SectorFactory(code="housing"))

    for kind, pk in (("forum", forum.pk), ("programme", programme.pk)):
        assert "New co-signer name" in stored(kind, pk)["body"], kind
    brief_document = stored("submission", submission.pk)
    assert "New co-signer name" in brief_document["body"]
    assert "housing" in brief_document["sector"]
