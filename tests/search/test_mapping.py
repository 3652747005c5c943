"""The index design and the query builder, checked without an engine."""

import pytest
from django.http import QueryDict

from concertation.parameters import InvalidParameters
from search.forms import MAX_PAGE, MAX_QUERY_LENGTH
from search.index import ArchiveDocument, index_body
from search.query import ArchiveQuery


def test_text_fields_are_analysed_in_both_languages():
    mapping = index_body()["mappings"]["properties"]
    for field in ("title", "body"):
        assert mapping[field]["analyzer"] == "folded"
        assert mapping[field]["fields"]["fr"]["analyzer"] == "french_folded"
        assert mapping[field]["fields"]["en"]["analyzer"] == "english_folded"


def test_french_analyser_folds_accents_and_removes_elision():
    analysis = index_body()["settings"]["analysis"]
    french = analysis["analyzer"]["french_folded"]
    assert french["filter"][0] == "french_elision"
    assert "asciifolding" in french["filter"]
    assert "l" in analysis["filter"]["french_elision"]["articles"]


def test_document_knows_every_field_the_registry_writes():
    fields = set(ArchiveDocument._doc_type.mapping.properties.to_dict()["properties"])
    assert {"kind", "object_id", "language", "visibility", "title", "body", "url", "date"} <= fields


def test_query_never_uses_lucene_query_string_syntax():
    body = ArchiveQuery(text="title:secret OR _exists_:x").to_search("archive").to_dict()
    assert "multi_match" in str(body)
    assert "query_string" not in str(body)
    assert {"term": {"visibility": "public"}} in body["query"]["bool"]["filter"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ("page=0", "page"),
        (f"page={MAX_PAGE + 1}", "page"),
        ("page=two", "page"),
        ("kind=secret", "kind"),
        (f"q={'x' * (MAX_QUERY_LENGTH + 1)}", "q"),
    ],
)
def test_bad_parameters_are_refused_naming_the_parameter(params, parameter):
    with pytest.raises(InvalidParameters) as refused:
        ArchiveQuery.from_params(QueryDict(params))
    assert refused.value.parameter == parameter


def test_nul_bytes_are_dropped_from_the_query():
    assert ArchiveQuery.from_params(QueryDict("q=co%00op")).text == "coop"


def test_page_sets_the_offset():
    query = ArchiveQuery.from_params(QueryDict("q=x&page=3"))
    assert query.to_search("archive").to_dict()["from"] == 2 * query.size
