"""Every Redis key Turnout reads or writes, named once.

Most keys start `tn:`. Every key of a batch carries the hash tag `{batch_id}`, so a batch lives in one
cluster slot and one Lua script can touch all of its keys; the keys outside a batch are indexes (a
batch's, a worker's), document text (content-addressed), and the fleet's shared ledgers (slots, rate
limits, budgets), each under a hash tag of its own.

Keys built inside Lua scripts (scripts/*.lua) from a prefix passed in are named here too, next to the
prefix they start from. Not ours, and named where they are used: Celery's and kombu's keys (queue lists,
`worker/flow/priority.py`; events and control channels, kombu itself), except kombu's records of
delivered, unacknowledged messages, which the liveness sweep, `turnout status` and the metrics read.
"""

from __future__ import annotations

import hashlib

from worker.schema import TaskSpec

# -- one batch (hash tag: the batch id) ------------------------------------------------------------------


def batch(batch_id: str) -> str:
    """The manifest: task, options, created/finished, expected jobs (a hash)."""
    return f"tn:{{{batch_id}}}:batch"


def purging(batch_id: str) -> str:
    """The manifest while `turnout purge` removes the batch (renamed: the batch is gone for every write,
    worker/store/guard.py, and an interrupted purge is run again from it); deleted last."""
    return f"tn:{{{batch_id}}}:purging"


def jobs(batch_id: str) -> str:
    """The batch's job ids in submission order, rejected ones included (a list)."""
    return f"tn:{{{batch_id}}}:jobs"


def job(batch_id: str, job_id: str) -> str:
    """One job's record: source, document, status, tags, route, attempts, holder, generation (a hash)."""
    return f"tn:{{{batch_id}}}:job:{job_id}"


def results(batch_id: str) -> str:
    """Job id -> its terminal result (JSON), written once (a hash)."""
    return f"tn:{{{batch_id}}}:results"


def counters(batch_id: str) -> str:
    """Terminal counts, tokens, costs per route, cloud share, cost of ownership (a hash of integers)."""
    return f"tn:{{{batch_id}}}:counters"


def models(batch_id: str) -> str:
    """Model -> its license, for every model the batch's calls ran on (a hash)."""
    return f"tn:{{{batch_id}}}:models"


def events(batch_id: str) -> str:
    """One entry per job state change (a capped stream)."""
    return f"tn:{{{batch_id}}}:events"


def calls(batch_id: str, job_id: str) -> str:
    """A job's answered backend calls, checkpointed between calls (a hash; worker/calls.py)."""
    return f"tn:{{{batch_id}}}:calls:{job_id}"


def retrying(batch_id: str) -> str:
    """Job id -> why and when it retries next, for `turnout status` (a hash; worker/retry_notes.py)."""
    return f"tn:{{{batch_id}}}:retrying"


def budget_waiting(batch_id: str) -> str:
    """Job id -> when a budget first refused its call (a hash; worker/budget/policy.py)."""
    return f"tn:{{{batch_id}}}:budget:waiting"


# The cloud-batch route's state of a batch (worker/store/batch_route.py): `tn:{batch}:cb:<part>...`.
# Those that exist once per batch; per group: `g:<gid>` (a hash), `g:<gid>:jobs`, `g:<gid>:fields`.
BATCH_ROUTE_PARTS = ("members", "pending", "lines", "flush", "groups")


def batch_route(batch_id: str, *parts: str) -> str:
    """A key of the batch's cloud-batch route state; with no parts, their common prefix."""
    return ":".join((f"tn:{{{batch_id}}}:cb", *parts))


def batch_route_group(batch_id: str, gid: str, *parts: str) -> str:
    return batch_route(batch_id, "g", gid, *parts)


def answers(batch_id: str, job_id: str) -> str:
    """A cloud-batch job's answered calls, joined back from provider batches (a hash)."""
    return batch_route(batch_id, "answers", job_id)


def batch_route_lock(batch_id: str, name: str) -> str:
    return batch_route(batch_id, "lock", name)


# -- documents and reuse ------------------------------------------------------------------------------------


def document(text: str) -> str:
    """Where a document's text is kept: content-addressed, so a text is stored once however many jobs
    (of however many batches) need it."""
    return "tn:doc:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def holders(doc_key: str) -> str:
    """The jobs that still need the document at `doc_key` (a set), in the text's cluster slot."""
    return f"{{{doc_key}}}:holders"


def done(task: TaskSpec, doc_key: str) -> str:
    """The reuse index: "batch job" of the succeeded result of this task on this document."""
    task_digest = hashlib.sha256(task.model_dump_json().encode()).hexdigest()[:16]
    return f"tn:done:{task_digest}:{doc_key.rsplit(':', 1)[-1]}"


def live(task: TaskSpec, doc_key: str) -> str:
    """The in-flight index: "batch job" of the job running this task on this document, which a later
    submission of the same joins (worker/joining.py)."""
    return done(task, doc_key).replace("tn:done:", "tn:live:", 1)


# -- indexes and workers ----------------------------------------------------------------------------------

BATCHES_INDEX = "tn:batches"  # every batch by creation time (`turnout status` finds the latest here)
BATCH_ROUTE_INDEX = "tn:cb:batches"  # batches with cloud-batch route work, resumed after a restart
WORKERS = "tn:workers"  # node name -> its queues, heartbeat and last beat (worker/liveness.py)
HELD = "tn:held"  # "batch job" members enqueued or received, perhaps not terminal: the sweep work list
SWEEP_LOCK = "tn:sweep:lock"  # one sweeper at a time (worker/recovery.py)
ABSENT = "tn:absent"  # "batch job gen" -> since when its message was nowhere to be found


def alive(holder: str) -> str:
    """A worker connection's heartbeat (expires unless renewed)."""
    return f"tn:alive:{holder}"


# -- the fleet's shared ledgers -----------------------------------------------------------------------------


def _slots(prefix: str) -> str:
    return f"tn:slots:{{{prefix}}}"


def slot_wake(prefix: str) -> str:
    """The list waiters block on: a released slot pushes a token."""
    return f"{_slots(prefix)}:wake"


def slot_leases(prefix: str, url: str) -> str:
    """A host's leases, scored by their expiry (a sorted set)."""
    return f"{_slots(prefix)}:leases:{url}"


def slot_cooldown(prefix: str, url: str) -> str:
    """Set (with a TTL) while a host is out of rotation."""
    return f"{_slots(prefix)}:cool:{url}"


def rate_limit(prefix: str) -> list[str]:
    """A rate limiter's request log (sorted set), costs (hash) and running sums (hash), in that order."""
    base = f"tn:rl:{{{prefix}}}"
    return [f"{base}:log", f"{base}:cost", f"{base}:sum"]


# The spending ledgers (worker/store/budget.py). The scripts build the others from this prefix:
# `<prefix>:res:<id>` (a reservation), `<prefix>:leases` (their lease expiries).
BUDGET_PREFIX = "tn:budget:{budget}"


def budget_batch(batch_id: str) -> str:
    """A batch's `--max-cost-usd` ledger."""
    return f"{BUDGET_PREFIX}:batch:{batch_id}"


def budget_day(provider: str, day: str) -> str:
    return f"{BUDGET_PREFIX}:p:{provider}:day:{day}"


def budget_month(provider: str, month: str) -> str:
    return f"{BUDGET_PREFIX}:p:{provider}:month:{month}"


# -- kombu's (its Redis transport's default names) ------------------------------------------------------------

KOMBU_UNACKED = "unacked"  # delivery tag -> [envelope, exchange, routing key] of each unacknowledged message
KOMBU_UNACKED_INDEX = "unacked_index"  # delivery tag -> when it was delivered (a sorted set)
KOMBU_UNACKED_MUTEX = "unacked_mutex"  # the lock around restoring unacknowledged messages
