"""Background tasks for consultation rounds."""

import datetime

from django.utils import timezone
from django_tasks import default_task_backend, task

from .services.rounds import advance_due_rounds


@task()
def advance_rounds_daily() -> dict[str, int]:
    """Open and close the rounds that are due, then queue itself for the next morning
    when the task backend can run tasks later (the database queue can), so that rounds
    open and close on their dates by themselves. Without such a backend, run the
    `advance_rounds` command daily instead."""
    counts = advance_due_rounds()
    if default_task_backend.supports_defer:
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        start_of_day = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(0, 5)))
        advance_rounds_daily.using(run_after=start_of_day).enqueue()
    return counts
