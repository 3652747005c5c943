"""The columns an import file may have, grouped by how their cells are read."""

import re

from django.db import models

from ..models import Constituency, FieldOfActivity, Region, Sector

# The columns a file may have, in the order the documentation lists them.
COLUMNS = (
    "name",
    "legal_name",
    "slug",
    "kind",
    "cooperative_type",
    "region",
    "regions_served",
    "sectors",
    "constituencies",
    "fields_of_activity",
    "founded_year",
    "staff_fte",
    "member_count",
    "share_capital",
    "gross_revenue",
    "assets",
    "has_share_capital",
    "incorporation_act",
    "incorporation_jurisdiction",
    "incorporation_date",
    "serves_in_french",
    "serves_in_english",
    "other_languages",
    "email",
    "phone",
    "address",
    "website",
    "summary_en",
    "summary_fr",
    "coalition",
    "membership_role",
    "membership_start",
    "membership_end",
)
REQUIRED_COLUMNS = ("name", "kind")
TEXT_COLUMNS = (
    "legal_name",
    "incorporation_act",
    "other_languages",
    "email",
    "phone",
    "address",
    "website",
    "summary_en",
    "summary_fr",
)
INTEGER_COLUMNS = ("founded_year", "member_count")
DECIMAL_COLUMNS = ("staff_fte", "share_capital", "gross_revenue", "assets")
REGION_COLUMNS = ("region", "incorporation_jurisdiction")
MANY_TO_MANY_COLUMNS: dict[str, type[models.Model]] = {
    "regions_served": Region,
    "sectors": Sector,
    "constituencies": Constituency,
    "fields_of_activity": FieldOfActivity,
}
MEMBERSHIP_DETAIL_COLUMNS = ("membership_role", "membership_start", "membership_end")
# Empty cells take the model's defaults: French service unless said otherwise.
BOOLEAN_DEFAULTS: dict[str, bool | None] = {
    "has_share_capital": None,
    "serves_in_french": True,
    "serves_in_english": False,
}

# What no cell may hold: the C0 and C1 control characters but tab, line feed and carriage
# return (a multi-line address). PostgreSQL refuses NUL in text outright; the others are
# invisible, never meant, and usually the trace of a file saved in the wrong encoding.
FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
