"""How long what Turnout stores lives: document text while a job needs it, records for a retention.

Document text is content-addressed (`tn:doc:<sha256>`) and shared: two jobs, or two batches, with the
same document share one key. Each document therefore keeps the set of jobs that still need it, its
*holders* (`{tn:doc:<sha256>}:holders`: the hash tag puts it in the text's cluster slot, so one script
touches both). A job holds its document from the moment it is stored until it is terminal; the last
holder to let go deletes the text, or lets it expire after `document_keep_s`.

The order matters when a new job and a finishing one race for the same text: the new job adds itself as
a holder *before* it writes the text, so a release either sees it (and keeps the text) or ran first (and
the write brings the text back). Writing the text with a plain SET also clears a kept text's expiry.

Records (job hashes, results, counters, events, the manifest, the reuse index) expire `retention_s`
after they stop changing: a job's hash when the job is terminal, the batch's keys when the batch is
done. Redis's own expiry does it, so nothing has to run for records to go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from worker.settings import Settings
from worker.store import keys
from worker.store.lua import source

DAY_S = 86_400.0


@dataclass(frozen=True)
class Retention:
    """The storage policy: how long records outlive their batch, and texts their last job."""

    retention_s: float = 7 * DAY_S
    document_keep_s: float = 0.0

    @classmethod
    def of(cls, settings: Settings) -> Retention:
        return cls(retention_s=settings.retention_s, document_keep_s=settings.document_keep_s)

    @property
    def retention_ms(self) -> int:
        return max(1, int(self.retention_s * 1000))

    @property
    def document_keep_ms(self) -> int:
        return int(self.document_keep_s * 1000)


def hold_document(pipe: Any, doc_key: str, job_id: str, text: str) -> None:
    """Queue: `job_id` needs this text until it is terminal. The holder first, then the text (see the
    module's docstring); a plain SET, so a text kept for `document_keep_s` is kept for good again."""
    pipe.sadd(keys.holders(doc_key), job_id)
    pipe.set(doc_key, text)


def release_document(pipe: Any, doc_key: str, job_id: str, keep_ms: int) -> None:
    """Queue: `job_id` no longer needs its text. Idempotent (a re-delivered result releases again).

    EVAL with the script's text, not EVALSHA: it rides on pipelines that must not half-fail on NOSCRIPT."""
    pipe.eval(source("release_document"), 2, doc_key, keys.holders(doc_key), job_id, keep_ms)


def batch_route_keys(client: Any, batch_id: str) -> list[str]:
    """Every key the cloud-batch route (worker/store/batch_route.py) keeps for a batch, per group included."""
    found = [keys.batch_route(batch_id, name) for name in keys.BATCH_ROUTE_PARTS]
    for gid in client.lrange(keys.batch_route(batch_id, "groups"), 0, -1):
        found += [keys.batch_route_group(batch_id, gid, part) for part in ("jobs", "fields")]
        found.append(keys.batch_route_group(batch_id, gid))
    return found


def expire_batch_extras(client: Any, batch_id: str, retention: Retention) -> None:
    """The batch is done (sealed after its last job ended): the batch route's keys and the budget
    ledger expire with its records. (When a job's result finishes the batch, the record script does this.)"""
    pipe = client.pipeline(transaction=False)
    for key in batch_route_keys(client, batch_id):
        pipe.pexpire(key, retention.retention_ms)
    pipe.execute()
    expire_budget_ledger(client, batch_id, retention)


def expire_budget_ledger(client: Any, batch_id: str, retention: Retention) -> None:
    """A done batch's `--max-cost-usd` ledger (its cap and sums: no text) expires with its records.
    Best effort: a worker killed just before leaves it to `turnout purge`."""
    client.pexpire(keys.budget_batch(batch_id), retention.retention_ms)


def prune_batch_index(client: Any, oldest: int = 10) -> int:
    """Drop the oldest batches whose records have expired from the index of batches; returns how many.
    A few per new batch: the index never grows by more than the batches that are still kept."""
    ids = client.zrange(keys.BATCHES_INDEX, 0, oldest - 1)
    if not ids:
        return 0
    pipe = client.pipeline(transaction=False)
    for batch_id in ids:
        pipe.exists(keys.batch(batch_id))
    gone = [batch_id for batch_id, exists in zip(ids, pipe.execute(), strict=True) if not exists]
    if gone:
        client.zrem(keys.BATCHES_INDEX, *gone)
    return len(gone)


def forget_batch_indexes(pipe: Any, batch_id: str) -> None:
    """Queue: the batch leaves the indexes outside its hash tag (latest batch, batch-route resume)."""
    pipe.zrem(keys.BATCHES_INDEX, batch_id)
    pipe.srem(keys.BATCH_ROUTE_INDEX, batch_id)
