"""Drain the outbox: sync the records with a due pending change, batch by batch.

Each batch is claimed (`search.outbox.claim`), synced kind by kind in one bulk request
per kind (`search.sync.sync_records`), then settled: rows of the records Elasticsearch
acknowledged are deleted, the others wait a growing delay. When the engine itself fails
(down, timing out, answering 5xx), the drain stops at that batch: it does not send every
batch to an engine that is not there, and the rows are due again after their delay.
"""

import logging
from dataclasses import dataclass

from . import engine, outbox
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


def drain(*, batch_size: int = DRAIN_BATCH_SIZE) -> DrainReport:
    """Sync every record with a due pending change, until none is due or the engine
    fails. Never raises for the engine: a failure is recorded on the rows (and for
    staff) and tried again later."""
    report = DrainReport()
    if not engine.is_configured():
        return report
    engine_error = ""
    while not report.engine_failed:
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
