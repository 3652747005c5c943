"""The OpenAPI 3.1 description of the search API, built from the query's own allow-lists,
patterns and bounds, so that a new facet, sort or kind shows up here, and a changed rule
changes here, without a second copy to keep in step (tests/security/test_api_contract.py
checks the server's answers against it)."""

import re
from typing import Any

from django.conf import settings

from concertation.ratelimits import LIMITS

from .query import (
    DATE_VALUE,
    EXPORT_IGNORES,
    FACETS,
    FILTER_VALUE,
    MAX_FILTER_VALUES,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    MAX_RESULT_WINDOW,
    OBJECT_ID,
    PAGE_SIZE,
    SORTS,
    YEAR_VALUE,
    search_kinds,
)


def whole(pattern: re.Pattern[str]) -> str:
    """The parser's pattern as the description's: the parser matches whole values
    (`fullmatch`), a JSON Schema pattern anywhere unless anchored."""
    return f"^(?:{pattern.pattern})$"


def like_pattern() -> str:
    """`<kind>:<object id>` with the kinds the index holds: the parser refuses any other
    kind, so the description does too."""
    kinds = "|".join(re.escape(kind) for kind in search_kinds())
    return f"^(?:{kinds}):(?:{OBJECT_ID.pattern})$"


def _parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _filter_parameter(name: str) -> dict[str, Any]:
    if name == "kind":
        item: dict[str, Any] = {"type": "string", "enum": search_kinds()}
    elif name == "year":
        item = {"type": "string", "pattern": whole(YEAR_VALUE)}
    else:
        item = {"type": "string", "pattern": whole(FILTER_VALUE)}
    return {
        **_parameter(
            name,
            f"Only records whose `{name}` is one of these values (repeatable; facets "
            "combine with AND). Unknown or malformed values: 400.",
            {"type": "array", "items": item, "maxItems": MAX_FILTER_VALUES},
        ),
        "style": "form",
        "explode": True,
    }


def parameters() -> list[dict[str, Any]]:
    date = {"type": "string", "format": "date", "pattern": whole(DATE_VALUE)}
    return [
        _parameter(
            "q",
            "Words to find, in French or English (every word required, typos tolerated). "
            "Never parsed as Lucene syntax; NUL bytes are dropped.",
            {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        ),
        *(_filter_parameter(name) for name in FACETS),
        _parameter("from", "Records dated on or after this day.", date),
        _parameter(
            "to", "Records dated on or before this day; before `from`: 400 naming `to`.", date
        ),
        _parameter(
            "sort",
            "`relevance` (the default; newest first without words), `date` (oldest first) "
            "or `-date` (newest first).",
            {"type": "string", "enum": list(SORTS), "default": "relevance"},
        ),
        _parameter(
            "page",
            f"Result page, from 1. No page reaches past result {MAX_RESULT_WINDOW}: "
            f"page × size may not exceed {MAX_RESULT_WINDOW} (page "
            f"{MAX_RESULT_WINDOW // PAGE_SIZE} at the default size, {MAX_RESULT_WINDOW} at "
            "size 1), else 400 naming `page`; the export streams whole result sets.",
            {"type": "integer", "minimum": 1, "maximum": MAX_RESULT_WINDOW, "default": 1},
        ),
        _parameter(
            "size",
            "Results a page (see `page` for how deep pages go).",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE},
        ),
        _parameter(
            "like",
            "Records similar to this one, given as `<kind>:<id>` (the `like` of a result). "
            "An unknown record gives no results; an unknown kind is a 400.",
            {"type": "string", "pattern": like_pattern()},
        ),
        {
            **_parameter(
                "facet",
                "Which facet counts to return (repeatable; all by default).",
                {"type": "array", "items": {"type": "string", "enum": list(FACETS)}},
            ),
            "style": "form",
            "explode": True,
        },
    ]


def schemas() -> dict[str, Any]:
    nullable_string = {"type": ["string", "null"]}
    return {
        "Result": {
            "type": "object",
            "required": ["kind", "object_id", "title", "url", "language", "date", "highlights"],
            "properties": {
                "kind": {"type": "string", "enum": search_kinds()},
                "object_id": {"type": "string"},
                "title": {"type": "string"},
                "url": {"type": "string"},
                "language": {
                    "type": "string",
                    "description": "`en`, `fr`, or empty for a record in both languages.",
                },
                "date": {**nullable_string, "description": "ISO 8601 date or date-time."},
                "highlights": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "HTML-escaped fragments, matched words in <mark>.",
                },
                "like": {"type": "string", "description": "The `like` value for this record."},
                "restricted": {
                    "type": "boolean",
                    "description": "Not public: found because the caller's roles let it "
                    "read the record (a private page, a brief not yet published).",
                },
            },
        },
        "ExportRecord": {
            "type": "object",
            "required": ["kind", "object_id", "title", "url", "language", "date"],
            "properties": {
                name: {"type": "string"} if name != "date" else nullable_string
                for name in ("kind", "object_id", "title", "url", "language", "date")
            },
        },
        "Facet": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["value", "count"],
                "properties": {
                    "value": {"type": "string"},
                    "count": {"type": "integer", "minimum": 0},
                },
            },
        },
        "SearchResponse": {
            "type": "object",
            "required": ["total", "page", "size", "results", "facets", "backend"],
            "properties": {
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer"},
                "size": {"type": "integer"},
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
                "facets": {
                    "type": "object",
                    "description": "Counts from the same filtered search, over the records "
                    "the caller may read; "
                    "empty when the database fallback answered.",
                    "properties": {name: {"$ref": "#/components/schemas/Facet"} for name in FACETS},
                },
                "backend": {"type": "string", "enum": ["elasticsearch", "database"]},
                "notice": {
                    "type": "string",
                    "description": "Present when the database fallback answered.",
                },
            },
        },
        "RateLimitError": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["parameter", "message", "limit", "retry_after"],
                    "properties": {
                        "parameter": {"type": "null"},
                        "message": {"type": "string"},
                        "limit": {
                            "type": "object",
                            "description": "At most `requests` requests in `seconds` seconds "
                            "from one address.",
                            "required": ["requests", "seconds"],
                            "properties": {
                                "requests": {"type": "integer", "minimum": 1},
                                "seconds": {"type": "integer", "minimum": 1},
                            },
                        },
                        "retry_after": {
                            "type": "integer",
                            "minimum": 1,
                            "description": "Seconds to wait, as in `Retry-After`.",
                        },
                    },
                }
            },
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["parameter", "message"],
                    "properties": {
                        "parameter": {
                            **nullable_string,
                            "description": "The parameter at fault; null when none is.",
                        },
                        "message": {"type": "string"},
                    },
                }
            },
        },
    }


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _refused(*rules: str) -> dict[str, Any]:
    """The 400: a value outside its schema, or values that do not go together (`rules`,
    which a parameter's schema alone cannot say)."""
    causes = "; ".join(("a value outside its schema", *rules))
    return _error(f"A parameter was refused, and the error names it ({causes}).")


def _rate_limited(group: str) -> dict[str, Any]:
    return {
        "description": f"Too many requests from this address (at most "
        f"{getattr(settings, LIMITS[group])}, s/m/h/d); wait `Retry-After` seconds.",
        "headers": {
            "Retry-After": {
                "description": "Seconds until the address may ask again.",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            }
        },
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/RateLimitError"}}
        },
    }


def openapi_description() -> dict[str, Any]:
    search_parameters = parameters()
    export_parameters = [p for p in search_parameters if p["name"] not in EXPORT_IGNORES]
    to_before_from = "`to` before `from`"
    export_responses = {
        "400": _refused(to_before_from),
        "429": _rate_limited("exports"),
        "503": _error("The search engine is not configured or unavailable."),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Concertation archive search",
            "version": "1.0.0",
            "description": "The records of the archive the caller may read: public "
            "ones, and for a signed-in session (the site's cookie) the restricted ones "
            "its roles let it read. Unknown parameters are ignored; a refused value "
            "answers 400 with the error shape.",
        },
        "paths": {
            "/api/search/": {
                "get": {
                    "operationId": "searchArchive",
                    "summary": "Search the archive",
                    "parameters": search_parameters,
                    "responses": {
                        "200": {
                            "description": "One page of results with facet counts.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/SearchResponse"}
                                }
                            },
                        },
                        "400": _refused(to_before_from, f"page × size past {MAX_RESULT_WINDOW}"),
                        "429": _rate_limited("search-api"),
                    },
                }
            },
            "/api/search/export.csv": {
                "get": {
                    "operationId": "exportArchiveCsv",
                    "summary": "Every result of a search, as CSV (streamed)",
                    "parameters": export_parameters,
                    "responses": {
                        "200": {
                            "description": "Columns: kind, object_id, title, url, language, date.",
                            "content": {"text/csv": {"schema": {"type": "string"}}},
                        },
                        **export_responses,
                    },
                }
            },
            "/api/search/export.json": {
                "get": {
                    "operationId": "exportArchiveJson",
                    "summary": "Every result of a search, as a JSON array (streamed)",
                    "parameters": export_parameters,
                    "responses": {
                        "200": {
                            "description": "An array of records.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/ExportRecord"},
                                    }
                                }
                            },
                        },
                        **export_responses,
                    },
                }
            },
        },
        "components": {"schemas": schemas()},
    }
