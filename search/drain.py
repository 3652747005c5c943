"""Drain the outbox: sync the records with a due pending change, batch by batch.

Each batch is claimed (`search.outbox.claim`), synced kind by kind in one bulk request
per kind (`search.sync.sync_records`), then settled: rows of the records Elasticsearch
acknowledged are deleted, the others wait a growing delay. When the engine itself fails
(down, timing out, answering 5xx), the drain stops at that batch: it does not send every
batch to an engine that is not there, and the rows are due again after their delay.
"""

import logging
import threading
from dataclasses import dataclass

from django.db import close_old_connections, connection

from . import engine, outbox
from .failures import FIRST_RETRY_DELAY
from .registry import registry
from .sync import describe, sync_records

logger = logging.getLogger(__name__)

# Records claimed and synced together: one query and one bulk request per kind.
DRAIN_BATCH_SIZE = 200


@dataclass
class DrainReport:
    synced: int = 0
    failed: int = 0
    engine_failed: bool = False

    def __str__(self) -> str:
        text = f"synced {self.synced}, failed {self.failed}"
        return text + " (engine unavailable)" if self.engine_failed else text


def drain(
    *, batch_size: int = DRAIN_BATCH_SIZE, stop: threading.Event | None = None
) -> DrainReport:
    """Sync every record with a due pending change, until none is due, the engine fails
    or `stop` is set (checked between batches). Never raises for the engine: a failure
    is recorded on the rows (and for staff) and tried again later. Several drains may
    run at once, in threads or processes: each claims records no other holds."""
    report = DrainReport()
    if not engine.is_configured():
        return report
    engine_error = ""
    while not report.engine_failed and not (stop and stop.is_set()):
        held = outbox.claim(batch_size)
        if held is None:
            break
        failed: dict[tuple[str, str], str] = {}
        for kind, keys in held.keys_by_kind().items():
            if report.engine_failed:
                # Not tried: the engine failed on an earlier kind of this batch.
                failed.update(dict.fromkeys(((kind, key) for key in keys), engine_error))
                continue
            try:
                outcome = sync_records(registry.get(kind), keys)
            except Exception as error:  # a record that cannot be built must not stop others
                logger.exception("Could not sync %s %s", kind, keys)
                outcome_failed = dict.fromkeys(keys, describe(error))
            else:
                outcome_failed = outcome.failed
                if outcome.engine_failed:
                    report.engine_failed = True
                    engine_error = next(iter(outcome.failed.values()))
            failed.update({(kind, key): error for key, error in outcome_failed.items()})
            report.synced += len(keys) - len(outcome_failed)
            report.failed += len(outcome_failed)
        outbox.settle(held, failed)
    return report


class OutboxDrainer(threading.Thread):
    """Drains the outbox in the background of a worker process (`manage.py db_worker`):
    whatever is due, then again after `interval` seconds when nothing was, or after the
    first retry delay when the engine failed. Saves need not queue anything: every
    worker process looks for due changes by itself, and several drain side by side."""

    def __init__(self, interval: float) -> None:
        super().__init__(name="search-outbox-drainer", daemon=True)
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.stopping.wait(self._pause_after(self._drain_once()))
        finally:
            connection.close()  # this thread's own

    def _drain_once(self) -> DrainReport | None:
        close_old_connections()
        try:
            return drain(stop=self.stopping)
        except Exception:  # the database away a moment: try again, never die
            logger.exception("Draining the search outbox failed; trying again")
            return None

    def _pause_after(self, report: DrainReport | None) -> float:
        if report is not None and report.engine_failed:
            return FIRST_RETRY_DELAY.total_seconds()
        if report is not None and (report.synced or report.failed):
            return 0  # more may have come meanwhile
        return self.interval

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the batch in hand (its rows settled), waiting up to `timeout`."""
        self.stopping.set()
        self.join(timeout)
