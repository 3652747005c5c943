"""The background task that builds a brief's public copies, queued after commit."""

from functools import partial

from django.db import transaction
from django_tasks import task

from .service import refresh_public_copies


@task()
def build_public_copies(submission_pk: int) -> None:
    refresh_public_copies(submission_pk)


def enqueue_build(submission_pk: int) -> None:
    """Build the brief's copies once the transaction commits (never for a rolled-back
    change); a failure to queue is logged, not raised into the save."""
    transaction.on_commit(partial(build_public_copies.enqueue, submission_pk), robust=True)
