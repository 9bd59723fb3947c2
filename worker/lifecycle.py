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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from worker.batch.state import TRACKED as BATCH_ROUTE_INDEX
from worker.batch.state import key as batch_route_key
from worker.budget.ledger import BudgetLedger
from worker.settings import Settings

DAY_S = 86_400.0
BATCHES_INDEX = "tn:batches"  # every batch by creation time (`turnout status` finds the latest here)

# Let go of a document: KEYS doc, holders; ARGV job id, keep (ms; 0: delete at once). Returns 1 when
# this was the last holder and the text is gone (or on its way out), else 0.
RELEASE_DOCUMENT = """
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('SCARD', KEYS[2]) > 0 then
  return 0
end
local keep_ms = tonumber(ARGV[2])
if keep_ms > 0 then
  redis.call('PEXPIRE', KEYS[1], keep_ms)
  return 0
end
return redis.call('DEL', KEYS[1])
"""

# Delete a reuse index entry only if it still names this job (a later batch may have replaced it).
DROP_IF_NAMES = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

# Batch-route keys that exist once per batch (per group and per job ones are listed from these).
BATCH_ROUTE_KEYS = ("members", "pending", "lines", "flush", "groups")


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


def holders_key(doc_key: str) -> str:
    """The set of jobs that still need the document at `doc_key`, in the text's cluster slot."""
    return f"{{{doc_key}}}:holders"


def hold_document(pipe: Any, doc_key: str, job_id: str, text: str) -> None:
    """Queue: `job_id` needs this text until it is terminal. The holder first, then the text (see the
    module's docstring); a plain SET, so a text kept for `document_keep_s` is kept for good again."""
    pipe.sadd(holders_key(doc_key), job_id)
    pipe.set(doc_key, text)


def release_document(pipe: Any, doc_key: str, job_id: str, keep_ms: int) -> None:
    """Queue: `job_id` no longer needs its text. Idempotent (a re-delivered result releases again).

    EVAL with the script's text, not EVALSHA: it rides on pipelines that must not half-fail on NOSCRIPT."""
    pipe.eval(RELEASE_DOCUMENT, 2, doc_key, holders_key(doc_key), job_id, keep_ms)


def batch_route_keys(client: Any, batch_id: str) -> list[str]:
    """Every key the cloud-batch route (worker/batch/state.py) keeps for a batch, per group included."""
    keys = [batch_route_key(batch_id, name) for name in BATCH_ROUTE_KEYS]
    for gid in client.lrange(batch_route_key(batch_id, "groups"), 0, -1):
        keys += [batch_route_key(batch_id, "g", gid, part) for part in ("jobs", "fields")]
        keys.append(batch_route_key(batch_id, "g", gid))
    return keys


def batch_route_prefix(batch_id: str) -> str:
    """The prefix of the batch route's keys of a batch (the record script expires them by name)."""
    return batch_route_key(batch_id)


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
    client.pexpire(BudgetLedger.batch_key(batch_id), retention.retention_ms)


def prune_batch_index(client: Any, manifest_key: Callable[[str], str], oldest: int = 10) -> int:
    """Drop the oldest batches whose records have expired from the index of batches; returns how many.
    A few per new batch: the index never grows by more than the batches that are still kept."""
    ids = client.zrange(BATCHES_INDEX, 0, oldest - 1)
    if not ids:
        return 0
    pipe = client.pipeline(transaction=False)
    for batch_id in ids:
        pipe.exists(manifest_key(batch_id))
    gone = [batch_id for batch_id, exists in zip(ids, pipe.execute(), strict=True) if not exists]
    if gone:
        client.zrem(BATCHES_INDEX, *gone)
    return len(gone)


def forget_batch_indexes(pipe: Any, batch_id: str) -> None:
    """Queue: the batch leaves the indexes outside its hash tag (latest batch, batch-route resume)."""
    pipe.zrem(BATCHES_INDEX, batch_id)
    pipe.srem(BATCH_ROUTE_INDEX, batch_id)
