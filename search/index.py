"""The archive index: one Elasticsearch index holding every kind of searchable record.

Readers and writers use an alias (`<prefix>-archive`). The first index, created when the
first document is written, has a fixed name (`<prefix>-archive-initial`) and gets the
alias in the same request, so workers racing to create it end up sharing one index. Each
rebuild creates a new concrete index (`<prefix>-archive-<timestamp>`), fills it and swaps
the alias at the end, so search never goes dark and a failed rebuild leaves the old index
serving.

Text fields are analysed three ways: folded (lower case, accents removed) for exact
words in any language, and French and English sub-fields with elision, stop words and
stemming, so that `l'économie` finds `economie` and `policies` finds `policy`.
"""

from datetime import UTC, datetime

from django.conf import settings
from elasticsearch import BadRequestError, NotFoundError
from elasticsearch_dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Text,
    analyzer,
    token_filter,
)

from .engine import get_client

french_elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stop = token_filter("french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("french_stemmer", type="stemmer", language="light_french")
english_stop = token_filter("english_stop", type="stop", stopwords="_english_")
english_possessive = token_filter(
    "english_possessive", type="stemmer", language="possessive_english"
)
english_stemmer = token_filter("english_stemmer", type="stemmer", language="english")

folded = analyzer("folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
french_folded = analyzer(
    "french_folded",
    tokenizer="standard",
    filter=[french_elision, "lowercase", "asciifolding", french_stop, french_stemmer],
)
english_folded = analyzer(
    "english_folded",
    tokenizer="standard",
    filter=[english_possessive, "lowercase", "asciifolding", english_stop, english_stemmer],
)


def bilingual_text() -> Text:
    """A text field searchable as folded words and as French and English stems."""
    return Text(
        analyzer=folded,
        fields={
            "fr": Text(analyzer=french_folded),
            "en": Text(analyzer=english_folded),
        },
    )


class ArchiveDocument(Document):
    """A record of the archive as search sees it, whatever its kind."""

    kind = Keyword()
    object_id = Keyword()
    # `<kind>:<object_id>`: unique, so sorting on it last gives a total order (the
    # export pages with `search_after`, which needs one).
    uid = Keyword()
    language = Keyword()
    # "public", or "restricted" to the `readers` (tokens, see `search.readers`).
    visibility = Keyword()
    readers = Keyword()
    title = bilingual_text()
    body = bilingual_text()
    url = Keyword(index=False)
    sector = Keyword()
    region = Keyword()
    organization_kind = Keyword()
    constituency = Keyword()
    recognition_status = Keyword()
    # The slug of the policy a record belongs to, and the slugs of the organizations a
    # record is by or about (facets and filters).
    policy = Keyword()
    organization = Keyword()
    date = Date()
    # The year of `date`, for the year facet.
    year = Integer()


def alias_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-archive"


def initial_index_name() -> str:
    """The first index behind the alias: a fixed name, so that creating it is idempotent."""
    return f"{alias_name()}-initial"


def new_index_name() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    return f"{alias_name()}-{stamp}"


def index_body() -> dict:
    """The settings and mappings of a concrete archive index.

    Shards and replicas come from the settings (`ELASTICSEARCH_SHARDS`,
    `ELASTICSEARCH_REPLICAS`; one shard and no replica by default, for one node): a
    cluster gets its shard count at the next rebuild, which creates a new index.
    """
    index = Index("archive")
    index.settings(
        number_of_shards=settings.ELASTICSEARCH_SHARDS,
        number_of_replicas=settings.ELASTICSEARCH_REPLICAS,
    )
    index.document(ArchiveDocument)
    return index.to_dict()


def create_index(name: str) -> None:
    get_client().indices.create(index=name, body=index_body())


def create_initial_index() -> None:
    """Create the first index with the alias already on it, in one request.

    Idempotent: when several workers index their first document at once, one request
    creates the index and the others get "resource already exists", which is success
    here. A timestamped name per worker would leave several indices behind the alias,
    and Elasticsearch refuses writes to an alias that points at more than one index.
    """
    client = get_client()
    alias = alias_name()
    try:
        client.indices.create(
            index=initial_index_name(), body={**index_body(), "aliases": {alias: {}}}
        )
    except BadRequestError as error:
        if error.error != "resource_already_exists_exception":
            raise
        # Created by another worker, with the alias. Should the alias have been removed
        # from it since, put it back (adding an alias that is already there is a no-op).
        if not client.indices.exists_alias(name=alias):
            client.indices.put_alias(index=initial_index_name(), name=alias)


def ensure_index() -> str:
    """Make sure the alias exists and points at an index; returns the alias name."""
    if not get_client().indices.exists_alias(name=alias_name()):
        create_initial_index()
    return alias_name()


def indices_behind_alias() -> list[str]:
    try:
        return list(get_client().indices.get_alias(name=alias_name()))
    except NotFoundError:
        return []


def swap_alias(new_index: str) -> list[str]:
    """Point the alias at `new_index` in one atomic step; returns the indices it left."""
    old = indices_behind_alias()
    actions = [{"remove": {"index": name, "alias": alias_name()}} for name in old]
    actions.append({"add": {"index": new_index, "alias": alias_name()}})
    get_client().indices.update_aliases(actions=actions)
    return old


def refresh() -> None:
    """Make every write so far visible to search (tests and the rebuild command)."""
    get_client().indices.refresh(index=alias_name())


def drop_all() -> None:
    """Delete every index of this prefix: the test suite's clean-up."""
    get_client().indices.delete(
        index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-archive*", ignore_unavailable=True
    )
