"""Background tasks of the open data: the nightly build of the bulk downloads."""

import datetime
import logging

from django.utils import timezone
from django_tasks import default_task_backend, task

from .downloads.build import BuildRunning, build

logger = logging.getLogger(__name__)

# The local time the nightly build runs at: after the day's writes, before readers wake.
NIGHTLY_AT = datetime.time(2, 30)


def next_night(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next `NIGHTLY_AT`, local time, after `now`."""
    local = timezone.localtime(now or timezone.now())
    at = timezone.make_aware(datetime.datetime.combine(local.date(), NIGHTLY_AT))
    return at if at > local else at + datetime.timedelta(days=1)


@task()
def build_open_data_nightly() -> dict[str, int]:
    """Build the bulk downloads (`opendata.downloads.build`), then queue itself for the
    next night when the task backend can run tasks later (the database queue can), as
    `advance_rounds_daily` does: enqueued once by an operator, it rebuilds every night.
    Without such a backend, run `manage.py build_open_data` nightly from cron. A build
    already running (the command, say) is left to finish: this night's is skipped;
    a build that fails still queues the next night's."""
    try:
        manifest = build()
        return {"files": len(manifest["files"])}
    except BuildRunning:
        logger.warning("Open-data build skipped: another build is running.")
        return {"files": 0}
    finally:
        # Even after a failed build: the next night's is not lost with this one.
        if default_task_backend.supports_defer:
            build_open_data_nightly.using(run_after=next_night()).enqueue()
