"""Helpers for tests that race two PostgreSQL connections."""

import time

from django.db import connection


def wait_until_someone_waits_for_a_lock(timeout: float = 10) -> None:
    """Return once another session of this database waits on a lock; fail after
    `timeout` seconds. Called by the connection that holds the lock, so the race is
    staged, not left to timing."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Inside a transaction the activity view is a snapshot: take a fresh one.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the other connection never waited for the lock")
