from django import template

from search.registry import registry

register = template.Library()


@register.filter
def kind_label(kind: str) -> str:
    """The visitor-facing, translated name of a kind of search result (a part of a
    record, such as a policy section, included); an unknown kind goes by its code."""
    for searchable in registry:
        if kind == searchable.kind:
            return searchable.label
        if kind == searchable.part_kind:
            return searchable.part_label or searchable.label
    return kind


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.simple_tag(takes_context=True)
def query_toggling(context, name: str, value) -> str:
    """The current query string with `value` added to the repeatable filter `name`, or
    removed when already there; back to the first page, whose results change."""
    params = context["request"].GET.copy()
    values = params.getlist(name)
    value = str(value)
    params.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    params.pop("page", None)
    return params.urlencode()


@register.simple_tag(takes_context=True)
def is_selected(context, name: str, value) -> bool:
    return str(value) in context["request"].GET.getlist(name)


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, "")


@register.filter
def getlist_param(params, name: str) -> list[str]:
    """Every value of a repeatable query-string parameter."""
    return params.getlist(name)
