"""Validators for the 360Giving Data Standard's JSON Schemas, copied in
organizations/standards/360giving/ (see SOURCE.md there)."""

import json
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

import organizations

SCHEMAS = Path(organizations.__file__).parent / "standards" / "360giving"
GRANT_SCHEMA = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
PACKAGE_SCHEMA = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())


def validator(schema: dict) -> Draft202012Validator:
    """A draft 2020-12 validator (the schemas' dialect) that checks formats — the
    schemas' oneOf between a date-time and a YYYY-MM-DD date needs it — and resolves the
    package schema's reference to the grant schema, which names it by URL, to the local
    copy."""
    grant_schema = Resource(contents=GRANT_SCHEMA, specification=DRAFT202012)
    grant_ref = PACKAGE_SCHEMA["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resources(
        [(grant_ref, grant_schema), (GRANT_SCHEMA["$id"], grant_schema)]
    )
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


PACKAGE = validator(PACKAGE_SCHEMA)
GRANT = validator(GRANT_SCHEMA)


def errors(validator: Draft202012Validator, instance: dict) -> list[str]:
    """Every violation, as "path: message" (empty when valid)."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(instance)
    ]
