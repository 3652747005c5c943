"""Checking a table's rows one by one, in file order, into organizations ready to write
or the errors that reject them."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext

from ..models import (
    Constituency,
    CooperativeType,
    MembershipRole,
    Organization,
    OrganizationKind,
    Region,
    Sector,
)
from .columns import (
    BOOLEAN_DEFAULTS,
    COLUMNS,
    DECIMAL_COLUMNS,
    FORBIDDEN_CHARACTERS,
    INTEGER_COLUMNS,
    MANY_TO_MANY_COLUMNS,
    MEMBERSHIP_DETAIL_COLUMNS,
    REGION_COLUMNS,
    TEXT_COLUMNS,
)
from .lookups import _Lookups
from .results import RowError

TRUE_WORDS = frozenset({"yes", "true", "oui", "1"})
FALSE_WORDS = frozenset({"no", "false", "non", "0"})
FOUNDED_YEAR_RANGE = (1600, 2100)  # the organization_founded_year_plausible constraint

_Fail = Callable[[str, str], None]  # records a column's error for the row being checked
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# "12,5" or "12,50" is a decimal comma; "15,000" is ambiguous and refused.
_DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d{1,2}$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


@dataclass
class _PlannedRow:
    """A valid row, ready to write: the organization, its links, its membership."""

    number: int
    organization: Organization
    links: dict[str, list[int]]
    coalition: Organization | None = None
    membership: dict[str, Any] = field(default_factory=dict)


class _RowValidator:
    """Checks rows in file order, remembering the names, slugs and coalitions seen."""

    def __init__(self, lookups: _Lookups) -> None:
        self.lookups = lookups
        self.names_seen: dict[str, int] = {}
        self.slugs_seen: dict[str, int] = {}
        self.coalitions_seen: dict[str, Organization] = {}

    def validate(
        self, number: int, values: dict[str, str]
    ) -> tuple[_PlannedRow | None, list[RowError]]:
        problems: dict[str, str] = {}

        def fail(column: str, message: str) -> None:
            problems.setdefault(column, message)

        # First, so that a cell with a control character is reported as such (the checks
        # below keep the first problem of a column) and never reaches the database.
        for column, text in values.items():
            found = FORBIDDEN_CHARACTERS.search(text)
            if found:
                fail(
                    column,
                    gettext(
                        "contains the invisible control character %(character)s (character "
                        "%(position)s of the cell), which cannot be imported: remove it"
                    )
                    % {"character": f"U+{ord(found.group()):04X}", "position": found.start() + 1},
                )

        name = values.get("name", "")
        if not name:
            fail("name", gettext("a name is required"))
        kind = self._choice(values, "kind", OrganizationKind, fail)
        if "kind" not in problems and not kind:
            fail("kind", _expected_message(gettext("a kind is required"), OrganizationKind))
        cooperative_type = self._choice(values, "cooperative_type", CooperativeType, fail)
        if kind == OrganizationKind.COOPERATIVE and not cooperative_type:
            fail(
                "cooperative_type",
                _expected_message(gettext("required for a co-operative"), CooperativeType),
            )
        elif kind and kind != OrganizationKind.COOPERATIVE and cooperative_type:
            fail(
                "cooperative_type",
                gettext(
                    'only co-operatives have a co-operative type (this row\'s kind is "%(kind)s")'
                )
                % {"kind": kind},
            )

        slug = values.get("slug", "")
        slug_derived = not slug
        if slug_derived and name:
            slug = slugify(name)
            if not slug:
                fail(
                    "slug",
                    gettext("no slug can be made from this name: give one in the slug column"),
                )

        fields: dict[str, Any] = {
            "name": name,
            "slug": slug,
            "kind": kind,
            "cooperative_type": cooperative_type,
        }
        for column in TEXT_COLUMNS:
            fields[column] = values.get(column, "")
        if fields["website"] and "://" not in fields["website"]:
            fields["website"] = f"https://{fields['website']}"
        for column in (*INTEGER_COLUMNS, *DECIMAL_COLUMNS):
            fields[column] = self._number(values, column, column in INTEGER_COLUMNS, fail)
        year = fields["founded_year"]
        if year is not None and not FOUNDED_YEAR_RANGE[0] <= year <= FOUNDED_YEAR_RANGE[1]:
            fail(
                "founded_year",
                gettext("must be between %(low)s and %(high)s (got %(value)s)")
                % {"low": FOUNDED_YEAR_RANGE[0], "high": FOUNDED_YEAR_RANGE[1], "value": year},
            )
        for column, default in BOOLEAN_DEFAULTS.items():
            fields[column] = self._boolean(values, column, default, fail)
        fields["incorporation_date"] = self._date(values, "incorporation_date", fail)
        for column in REGION_COLUMNS:
            codes = self._codes(values, column, Region, fail)
            fields[f"{column}_id"] = codes[0] if codes else None
            if len(codes) > 1:
                fail(column, gettext("one region code only"))
        links = {
            column: self._codes(values, column, model, fail)
            for column, model in MANY_TO_MANY_COLUMNS.items()
        }

        organization = Organization(**fields)
        try:
            # The model's own field rules (lengths, e-mail, URL, slug, decimal digits).
            # Foreign keys are left out: checking them costs a query each, and their codes
            # were resolved above.
            excluded = {*problems, *REGION_COLUMNS, *([] if slug else ["slug"])}
            organization.clean_fields(exclude=excluded)
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                fail(column, " ".join(messages))
        if slug_derived and "name" in problems:
            problems.pop("slug", None)  # the name's error says it all

        self._check_unique(number, name, slug, slug_derived, problems, fail)
        coalition, membership = self._membership(number, values, name, slug, fail)

        errors = [
            RowError(number, column, problems[column])
            for column in sorted(problems, key=_column_order)
        ]
        if kind == OrganizationKind.COALITION and name:
            # Later rows may join this coalition (even if this row is rejected, so that
            # its members are not reported as well: nothing is saved either way).
            for key in (name, slug):
                if key:
                    self.coalitions_seen.setdefault(key.lower(), organization)
        if errors:
            return None, errors
        return _PlannedRow(number, organization, links, coalition, membership), []

    # Each reader below returns the column's value, or calls `fail` and returns a neutral
    # value so that the other columns of the row are still checked.

    def _choice(
        self, values: dict[str, str], column: str, choices: type[models.TextChoices], fail: _Fail
    ) -> str:
        text = values.get(column, "").lower()
        if text and text not in choices.values:
            fail(
                column,
                _expected_message(
                    gettext('unknown value "%(value)s"') % {"value": values[column]}, choices
                ),
            )
            return ""
        return text

    def _number(
        self, values: dict[str, str], column: str, whole: bool, fail: _Fail
    ) -> int | Decimal | None:
        text = values.get(column, "")
        if not text:
            return None
        compact = _SPACES.sub("", text)
        if _DECIMAL_COMMA.match(compact):
            compact = compact.replace(",", ".")
        try:
            number = Decimal(compact)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            fail(column, gettext('"%(value)s" is not a number') % {"value": text})
            return None
        if number < 0:
            fail(column, gettext("cannot be negative (got %(value)s)") % {"value": text})
            return None
        if whole:
            if number != number.to_integral_value():
                fail(column, gettext('"%(value)s" is not a whole number') % {"value": text})
                return None
            return int(number)
        return number

    def _boolean(
        self, values: dict[str, str], column: str, default: bool | None, fail: _Fail
    ) -> bool | None:
        text = values.get(column, "").lower()
        if not text:
            return default
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        fail(
            column,
            gettext('"%(value)s" is not yes or no (write yes/no, true/false, oui/non or 1/0)')
            % {"value": values[column]},
        )
        return default

    def _date(self, values: dict[str, str], column: str, fail: _Fail) -> datetime.date | None:
        text = values.get(column, "")
        if not text:
            return None
        if _DATE.match(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                pass
        fail(column, gettext('"%(value)s" is not a date written YYYY-MM-DD') % {"value": text})
        return None

    def _codes(
        self, values: dict[str, str], column: str, model: type[models.Model], fail: _Fail
    ) -> list[int]:
        text = values.get(column, "")
        codes = list(dict.fromkeys(c.strip().lower() for c in re.split(r"[;,]", text)))
        codes = [code for code in codes if code]
        known = self.lookups.codes[model]
        unknown = [code for code in codes if code not in known]
        if unknown:
            fail(column, _unknown_codes_message(model, unknown))
            return []
        return [known[code] for code in codes]

    def _check_unique(
        self,
        number: int,
        name: str,
        slug: str,
        slug_derived: bool,
        problems: dict[str, str],
        fail: _Fail,
    ) -> None:
        if name and "name" not in problems:
            key = name.lower()
            if key in self.names_seen:
                fail(
                    "name",
                    gettext('"%(value)s" is already on row %(row)s')
                    % {"value": name, "row": self.names_seen[key]},
                )
            elif key in self.lookups.existing_names:
                fail(
                    "name",
                    gettext('an organization named "%(existing)s" already exists')
                    % {"existing": self.lookups.existing_names[key]},
                )
            self.names_seen.setdefault(key, number)
        if slug and "slug" not in problems and "name" not in problems:
            key = slug.lower()
            hint = (
                gettext(" (made from the name: give another in the slug column)")
                if slug_derived
                else ""
            )
            if key in self.slugs_seen:
                fail(
                    "slug",
                    gettext('the slug "%(value)s" is already used on row %(row)s')
                    % {"value": slug, "row": self.slugs_seen[key]}
                    + hint,
                )
            elif key in self.lookups.existing_slugs:
                fail(
                    "slug",
                    gettext('the slug "%(value)s" is already used by "%(existing)s"')
                    % {"value": slug, "existing": self.lookups.existing_slugs[key]}
                    + hint,
                )
            self.slugs_seen.setdefault(key, number)

    def _membership(
        self, number: int, values: dict[str, str], name: str, slug: str, fail: _Fail
    ) -> tuple[Organization | None, dict[str, Any]]:
        reference = values.get("coalition", "")
        role = self._choice(values, "membership_role", MembershipRole, fail)
        start = self._date(values, "membership_start", fail)
        end = self._date(values, "membership_end", fail)
        if not reference:
            for column in MEMBERSHIP_DETAIL_COLUMNS:
                if values.get(column):
                    fail(
                        column,
                        gettext("a membership needs a coalition: the coalition column is empty"),
                    )
            return None, {}
        if start and end and end < start:
            fail(
                "membership_end",
                gettext("the membership ends (%(end)s) before it starts (%(start)s)")
                % {"end": end.isoformat(), "start": start.isoformat()},
            )
        key = reference.lower()
        if key in {name.lower(), slug.lower()}:
            fail("coalition", gettext("an organization cannot be a member of itself"))
            return None, {}
        coalition = self.lookups.existing_coalitions.get(key) or self.coalitions_seen.get(key)
        if coalition is None:
            row = self.lookups.row_of.get(key)
            if row is not None and row > number:
                fail(
                    "coalition",
                    gettext(
                        '"%(value)s" is on row %(row)s, after this one: put coalitions '
                        "before their members"
                    )
                    % {"value": reference, "row": row},
                )
            elif row is not None:
                fail(
                    "coalition",
                    gettext('"%(value)s" (row %(row)s) is not a coalition')
                    % {"value": reference, "row": row},
                )
            else:
                fail(
                    "coalition",
                    gettext('no coalition "%(value)s" exists, in the catalogue or above this row')
                    % {"value": reference},
                )
            return None, {}
        if coalition.kind != OrganizationKind.COALITION:
            fail(
                "coalition",
                gettext('"%(value)s" is not a coalition (its kind is "%(kind)s")')
                % {"value": coalition.name, "kind": coalition.kind},
            )
            return None, {}
        membership = {
            "role": role or MembershipRole.MEMBER,
            "start_date": start,
            "end_date": end,
        }
        return coalition, membership


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)


def _expected_message(message: str, choices: type[models.TextChoices]) -> str:
    return gettext("%(message)s; expected one of: %(choices)s") % {
        "message": message,
        "choices": ", ".join(choices.values),
    }


def _unknown_codes_message(model: type[models.Model], codes: list[str]) -> str:
    quoted = ", ".join(f'"{code}"' for code in codes)
    count = len(codes)
    if model is Region:
        message = ngettext("unknown region %(codes)s", "unknown regions %(codes)s", count)
    elif model is Sector:
        message = ngettext("unknown sector %(codes)s", "unknown sectors %(codes)s", count)
    elif model is Constituency:
        message = ngettext(
            "unknown constituency %(codes)s", "unknown constituencies %(codes)s", count
        )
    else:
        message = ngettext(
            "unknown field of activity %(codes)s", "unknown fields of activity %(codes)s", count
        )
    return message % {"codes": quoted}
