"""`manage.py db_worker`: django-tasks-db's worker, which first queues a drain of the
search outbox.

A worker killed mid-task leaves that task RUNNING forever and never runs it again; the
changes it was syncing are still in the outbox (`search.PendingChange`), but with no new
write nothing would queue a drain for them. So the worker queues one as it starts: the
changes pending from before (the killed worker's included, once its lease ends) drain
with no one saving anything. The `search` app comes before `django_tasks_db` in
INSTALLED_APPS, so this command is the one `manage.py db_worker` runs.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from search import engine
from search.tasks import queue_drain


class Command(DatabaseWorkerCommand):
    help = DatabaseWorkerCommand.help + " (queues a drain of the search outbox first)"

    def handle(self, *args, **options) -> None:
        if engine.is_configured():
            queue_drain()
        super().handle(*args, **options)
