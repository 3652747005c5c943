"""Template filters of the funding pages."""

from django import template

from organizations.funding.models import fiscal_year_label

register = template.Library()


@register.filter
def fiscal_year(year: int) -> str:
    """2000 → "2000–2001", never grouped like a number ("2,000")."""
    return fiscal_year_label(year)
