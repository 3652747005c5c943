"""Settings of a real `manage.py db_worker` started by a test: the test settings with
the database task backend (the suite itself runs tasks in-process). The database, the
Elasticsearch URL and the index prefix come from the environment the test gives it."""

from concertation.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
