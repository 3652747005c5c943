"""Long queries: a thousand characters of words reach the engine as their distinct words,
typo tolerance for the first `MAX_FUZZY_WORDS` of them only, the others matched as typed
or by stem. Every word is still required; such a query answers in milliseconds rather
than seconds (issue #15: "économie " × 100 timed out under load). Real Elasticsearch."""

import pytest

from search.forms import MAX_QUERY_LENGTH
from search.query import MAX_FUZZY_WORDS, ArchiveQuery, query_words
from tests.search.archive_corpus import document, put

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

API = "/api/search/"
# Twelve words of the record's body, more than the words given typo tolerance.
LATER_WORDS = [
    *("cooperative", "solidaire", "quartier", "logement", "jeunesse", "culture"),
    *("transport", "alimentation", "emploi", "formation", "entraide", "territoire"),
]


@pytest.fixture
def corpus(archive_index):
    put(
        [
            document(
                "organization",
                1,
                "Économie sociale du quartier",
                "Économie sociale: une cooperative solidaire du quartier: logement, jeunesse, "
                "culture, transport, alimentation, emploi, formation et entraide sur tout le "
                "territoire.",
            ),
            document("organization", 2, "Banque alimentaire", "Alimentation et entraide."),
        ]
    )


def long_text(start: str) -> str:
    """`start`, then the later words over and over, to the longest query allowed."""
    text = start
    while len(text) + len(" ".join(LATER_WORDS)) + 1 <= MAX_QUERY_LENGTH:
        text += " " + " ".join(LATER_WORDS)
    return text


def found(client, text: str) -> list[str]:
    response = client.get(API, {"q": text})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["backend"] == "elasticsearch"
    return [result["like"] for result in body["results"]]


def test_a_long_query_finds_what_its_early_words_match_typos_included(client, corpus):
    """The first words carry typos ("econmie socale"): they are among the words given
    typo tolerance, so the record is found, with a passage."""
    text = long_text("econmie socale")
    assert len(text) > 900
    assert len(query_words(text)) > MAX_FUZZY_WORDS

    response = client.get(API, {"q": text}).json()

    assert [result["like"] for result in response["results"]] == ["organization:1"]
    assert response["results"][0]["highlights"]


def test_every_word_of_a_long_query_is_still_required(client, corpus):
    """Words past the typo-tolerant ones are matched as typed or by stem: a typo there
    finds nothing, nor does a word the record lacks."""
    assert found(client, long_text("economie sociale") + " quartiet") == []
    assert found(client, long_text("economie sociale") + " bibliotheque") == []
    assert found(client, long_text("economie sociale")) == ["organization:1"]


def test_a_word_repeated_a_hundred_times_is_one_word(client, corpus):
    """The case that timed out: "économie " × 100 is asked as one word."""
    text = "économie " * 100
    body = ArchiveQuery(text=text).to_body("archive")

    assert "économie économie" not in str(body)
    assert found(client, text) == ["organization:1"]
    assert found(client, "Économie ECONOMIE économie sociale") == ["organization:1"]


def test_the_typo_tolerant_clause_holds_the_first_distinct_words_only():
    words = [f"mot{number}" for number in range(MAX_FUZZY_WORDS + 5)]
    body = ArchiveQuery(text=" ".join(words + words)).to_body("archive")

    exact, fuzzy = body["query"]["bool"]["must"][0]["bool"]["should"]
    assert exact["multi_match"]["query"] == " ".join(words)
    typo_tolerant, rest = fuzzy["bool"]["must"]
    assert typo_tolerant["multi_match"]["query"] == " ".join(words[:MAX_FUZZY_WORDS])
    assert typo_tolerant["multi_match"]["fuzziness"] == "AUTO"
    assert rest["multi_match"]["query"] == " ".join(words[MAX_FUZZY_WORDS:])
    assert "fuzziness" not in rest["multi_match"]


def test_a_short_query_keeps_one_typo_tolerant_clause():
    body = ArchiveQuery(text="housng policy").to_body("archive")

    fuzzy = body["query"]["bool"]["must"][0]["bool"]["should"][1]
    assert fuzzy["multi_match"]["query"] == "housng policy"
    assert fuzzy["multi_match"]["fuzziness"] == "AUTO"


def test_query_words_are_distinct_accents_and_case_aside():
    assert query_words("Économie economie ÉCONOMIE sociale 🙂 sociale") == ["Économie", "sociale"]
    assert query_words("l'économie") == ["l'économie"]
    assert query_words("🙂") == []
