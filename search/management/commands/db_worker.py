"""`manage.py db_worker`: django-tasks-db's worker, which also drains the search outbox.

A save records its index change in the outbox (`search.PendingChange`) and queues no
task: every worker process drains the outbox beside its tasks, in a thread
(`search.drain.OutboxDrainer`) that looks for due changes every `--interval` seconds.
So changes pending from before (a killed worker's, once its lease ends; those of an
Elasticsearch outage, once their delay passed) drain with no one saving anything, and
several workers drain together, each claiming records no other holds
(`search.outbox.claim`). On SIGINT or SIGTERM the drainer finishes the batch in hand.
The `search` app comes before `django_tasks_db` in INSTALLED_APPS, so this command is
the one `manage.py db_worker` runs.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from search import engine, outbox
from search.drain import OutboxDrainer, drain


class Command(DatabaseWorkerCommand):
    help = DatabaseWorkerCommand.help + " (and drain the search outbox)"

    def handle(self, *args, interval: float, batch: bool, reload: bool, **options) -> None:
        drainer = None
        # With --reload the command runs twice, in the watcher and in its child: the
        # child alone runs the worker.
        in_worker = not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        if engine.is_configured() and in_worker:
            if batch:
                drain()
            else:
                drainer = OutboxDrainer(interval)
                drainer.start()
        try:
            super().handle(*args, interval=interval, batch=batch, reload=reload, **options)
        finally:
            if drainer is not None:
                drainer.stop(timeout=outbox.lease().total_seconds())
