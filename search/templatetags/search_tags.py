from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, "")


@register.filter
def getlist_param(params, name: str) -> list[str]:
    """Every value of a repeatable query-string parameter."""
    return params.getlist(name)
