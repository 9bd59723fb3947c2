"""The Redis store, the one door to Redis: batch manifests, document text (stored once), job state,
results, counters, events; and the fleet's shared state (slots, rate limits, budgets, liveness).

- `keys.py` names every key; `scripts/*.lua` holds every Lua script (read by `lua.source`).
- `Store` is what the workers and the producer use: `batches.py` (manifests, counters), `jobs.py` (a job
  from submission to its stages' deliveries), `results.py` (results, reuse, the report), `status.py`
  (queue depths, retry notes), over `connection.py` (the client and its round trips).
- The fleet's shared state, each reached through the store: `slots.py` (local hosts' slots), `ratelimit.py`
  (cloud rate limits), `budget.py` (spending caps), `holds.py` (worker liveness, the live workers),
  `batch_route.py` (the cloud-batch route's state); `lifecycle.py` (how long everything lives), `purge.py`
  (`turnout purge`).
- `records.py`: the small frozen values it hands out.

Every key of a batch shares the hash tag `{batch_id}`, so a batch lives in one cluster slot and the
Lua script that records a result can touch all of its keys atomically.
"""

from __future__ import annotations

from functools import cached_property

from worker.store.batch_route import BatchState
from worker.store.budget import BudgetLedger
from worker.store.connection import EVENTS_MAXLEN, STORE_RETRY_CAP_S
from worker.store.holds import Holds
from worker.store.jobs import Jobs
from worker.store.joins import Joins
from worker.store.ratelimit import RateLedger
from worker.store.records import (
    BatchManifest,
    BatchMissing,
    BatchRoutingFacts,
    ClassifyInputs,
    ClassifyOpening,
    CostedResult,
    DocumentMissing,
    ExecutionOpening,
    HeldJob,
    JobInputs,
    JobMissing,
    JobRecord,
    MissingRecord,
    NewJob,
    QueueDepths,
    StoredJob,
)
from worker.store.results import Results
from worker.store.slots import SlotLeases
from worker.store.status import Status

__all__ = [
    "EVENTS_MAXLEN",
    "STORE_RETRY_CAP_S",
    "BatchManifest",
    "BatchMissing",
    "BatchRoutingFacts",
    "ClassifyInputs",
    "ClassifyOpening",
    "CostedResult",
    "DocumentMissing",
    "ExecutionOpening",
    "HeldJob",
    "JobInputs",
    "JobMissing",
    "JobRecord",
    "MissingRecord",
    "NewJob",
    "QueueDepths",
    "Store",
    "StoredJob",
]


class Store(Jobs, Joins, Results, Status):
    """All Redis access goes through here; the workers and the producer share it."""

    # The fleet's shared state, on this store's client. One each per store (they hold no state of their
    # own but the scripts they registered), except the keyed ones, made per use.
    @cached_property
    def holds(self) -> Holds:
        return Holds(self.redis)

    @cached_property
    def budget_ledger(self) -> BudgetLedger:
        return BudgetLedger(self.redis)

    @cached_property
    def batch_route(self) -> BatchState:
        return BatchState(self.redis)

    def slot_leases(self, key_prefix: str = "local") -> SlotLeases:
        return SlotLeases(self.redis, key_prefix)

    def rate_ledger(self, key_prefix: str) -> RateLedger:
        return RateLedger(self.redis, key_prefix)
