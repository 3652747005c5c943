"""The OpenAPI 3.1 description of the search API. Its parameters are generated from the
fields of `search.forms.SearchParameters` (type, bounds, patterns and choices from each
field's `json_schema`, the description from its `help_text`), so that a new facet, sort
or kind shows up here, and a changed rule changes here, without a second copy to keep in
step (tests/security/test_api_contract.py checks the server's answers against it).
See docs/decisions/008-openapi-generated-from-the-parameter-forms.md."""

from typing import Any

from django import forms
from django.conf import settings

from concertation.ratelimits import LIMITS

from .forms import EXPORT_IGNORES, FACETS, MAX_RESULT_WINDOW, SearchParameters, search_kinds


def query_parameter(name: str, field: forms.Field) -> dict[str, Any]:
    """One form field as an OpenAPI query parameter; a repeatable one (an array) is
    written `?name=a&name=b`."""
    schema = field.json_schema()
    parameter = {
        "name": name,
        "in": "query",
        "required": field.required,
        "description": str(field.help_text),
        "schema": schema,
    }
    if schema["type"] == "array":
        parameter.update(style="form", explode=True)
    return parameter


def parameters() -> list[dict[str, Any]]:
    """Every field of the search form, in its order."""
    return [query_parameter(name, field) for name, field in SearchParameters.base_fields.items()]


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
