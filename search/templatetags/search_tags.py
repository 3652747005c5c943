from django import template

from search.registry import registry

register = template.Library()


@register.filter
def kind_label(kind: str) -> str:
    """The visitor-facing, translated name of a kind of search result."""
    return registry.get(kind).label


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()
