"""Tables sorted on the server by a column the visitor picks: the `sort` parameter and
the column headers that set it.

A sortable table's header cells are links that reload the page sorted by their column
(`?sort=name`, `?sort=-burden_index` for the other direction), so sorting works without
JavaScript, can be bookmarked, and is read by the page's parameter form like any other
parameter: `sort_field(columns, default)` is the form field, which refuses an unknown
column with a 400 naming `sort`. The header of the sorted column carries `aria-sort`, and
following it again reverses the order.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .parameter_fields import Choice

SORT = "sort"


@dataclass(frozen=True)
class SortColumn:
    """A column a table can be sorted by: its `key` (the parameter's value), its
    header `label`, and whether a first click sorts it largest first (figures) or in
    alphabetical order (names)."""

    key: str
    label: str
    descending_first: bool = False


@dataclass(frozen=True)
class Header:
    """A column header as the template writes it: a link, and `aria_sort` on the
    sorted column ("ascending"/"descending", "" elsewhere)."""

    key: str
    label: str
    href: str
    aria_sort: str


def choices(columns: Sequence[SortColumn]) -> list[str]:
    """Every value `sort` may take: each key, and each key reversed (`-key`)."""
    return [value for column in columns for value in (column.key, f"-{column.key}")]


class SortField(Choice):
    """The `sort` parameter: one of `choices(columns)`, `default` when absent."""

    def __init__(self, columns: Sequence[SortColumn], default: str, **kwargs) -> None:
        super().__init__(choices=choices(columns), **kwargs)
        self.default = default

    def to_python(self, value) -> str:
        return super().to_python(value) or self.default


def split(sort: str) -> tuple[str, bool]:
    """ "-burden_index" → ("burden_index", True)."""
    return sort.lstrip("-"), sort.startswith("-")


def headers(
    columns: Sequence[SortColumn], current: str, link: Callable[[str], str]
) -> list[Header]:
    """The headers of a table sorted by `current`; `link(sort)` is the page's address
    sorted that way (with its other parameters kept)."""
    key, descending = split(current)
    result = []
    for column in columns:
        if column.key == key:
            following = column.key if descending else f"-{column.key}"
            aria_sort = "descending" if descending else "ascending"
        else:
            following = f"-{column.key}" if column.descending_first else column.key
            aria_sort = ""
        result.append(Header(column.key, column.label, link(following), aria_sort))
    return result
