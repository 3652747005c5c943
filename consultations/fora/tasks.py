"""Background tasks of the fora: rebuilding months of the burden summary."""

import datetime

from django_tasks import task

from .burden_summary import refresh_month


@task()
def refresh_burden_months(months: list[str]) -> int:
    """Rebuild the summary of the given months (ISO dates of their first days), marked
    stale by a write; returns how many were rebuilt."""
    for month in months:
        refresh_month(datetime.date.fromisoformat(month))
    return len(months)
