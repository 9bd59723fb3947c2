"""`turnout purge`: remove everything Turnout stores for a batch, at once, before its retention is up.

One batch at a time, or every finished batch older than an age. What a batch's keys are, and deleting them
(no SCAN or KEYS, interruptible and run again), is the store's: worker/store/purge.py.
"""

from __future__ import annotations

import time

from worker.store import Store
from worker.store.purge import Purged, purge_batch

__all__ = ["Purged", "purge_batch", "purge_older_than"]


def purge_older_than(store: Store, age_s: float, now: float | None = None) -> Purged:
    """Purge every finished batch created more than `age_s` ago. Batches still running are left alone
    (listed in `unfinished`): name one to purge it anyway."""
    cutoff = (now if now is not None else time.time()) - age_s
    total = Purged()
    for batch_id in store.batches_created_before(cutoff):
        try:
            manifest = store.manifest(batch_id)
        except KeyError:  # its records expired already: only the index still names it
            store.forget_batch(batch_id)
            continue
        if manifest.finished_at is None:
            total.unfinished.append(batch_id)
            continue
        total.add(purge_batch(store, batch_id))
    return total
