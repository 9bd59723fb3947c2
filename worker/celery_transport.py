"""The one seam with kombu's internals: a worker loses no message to a full Redis, and outlives a restart.

The properties (docs/deploy.md): with Redis at its `maxmemory` under `noeviction`, as compose ships it,
no job is lost and no worker stops, and once memory is freed every job finishes by itself; and a worker
lives through a Redis restart. Stock kombu 5.7 breaks both, in its Redis QoS:

- A full Redis. kombu takes a message off its queue with BRPOP, then records it as delivered and
  unacknowledged (ZADD to `unacked_index`, HSET to `unacked`, in MULTI/EXEC): the record is what brings
  the message back if the worker dies. A full Redis lets the BRPOP through (a pop frees memory) and
  refuses the record. kombu raises; Celery reconnects (`broker_channel_error_retry`, worker/celery_app.py);
  the message, off its queue and in no unacked set, exists nowhere. Worker liveness can't bring it back
  when it was a job's classify message (no worker has held that job yet, so nothing says it is missing):
  the job waits forever. Here `append` keeps a refused record in memory and hands the message to Celery
  as usual (its task then waits out the refusal itself, worker/tasks.py); the record is written at the
  next delivery, on kombu's own periodic `restore_visible` timer (`unacked_restore_interval`), or before
  the channel closes, whichever comes first once Redis takes writes. An ack of a delivery never recorded
  needs no write; a re-queue of one frees its prefetch slot and leaves the record to be written (liveness
  and the visibility sweep re-deliver from there). A worker killed while a record is unwritten loses that
  delivery, as kombu would. tests/integration/test_broker_full.py fails on kombu's own transport.
- A Redis restart. Celery releases the lost connection, but kombu's channel of it still asks the closed
  transport for a client: to restore its unacked messages as it closes, or to ack a task that was
  still running on a thread. kombu fails there with an AttributeError, which Celery treats as
  unrecoverable: the worker exits (the chaos run on kombu's own transport lost its cloud worker at the
  restart; 174 of 1,000 jobs never finished). Here the channel's `_create_client` answers with a
  connection error, which kombu's close ignores and its ack logs; the messages stay in the unacked set,
  where worker liveness finds them.

Not changed: an ack a full Redis refuses (kombu removes the record in MULTI/EXEC, which it refuses) makes
Celery reconnect, and the record stays: its job has finished, so a re-delivery runs nothing.

Workers only: worker/main.py selects this transport for `redis://` brokers; the producer, Flower and
every other client use kombu's as it ships, and so does `rediss://` (kombu's TLS defaults hang on the
transport's name). It is checked: at import, a kombu outside the range it was written and tested for
(`KOMBU_CHECKED`) is refused with one line, so an upgrade fails at the first worker start, not at the
first lost job. To move the range, run tests/integration/test_broker_full.py, test_celery_transport.py
and the chaos run on the new kombu. The same range covers the Redis layout Turnout reads without kombu:
queues as one list per priority step holding kombu's JSON envelopes (worker/flow/publish.py writes them)
and the `unacked` hash and `unacked_index` set (worker/liveness.py reads them).
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import kombu
import redis
import structlog
from kombu.transport import redis as kombu_redis
from kombu.transport import virtual
from kombu.utils.json import dumps

from worker.store_refusal import RefusalLine, is_write_refusal

log = structlog.get_logger("turnout.transport")

# [lowest, highest] kombu versions (major, minor) whose Redis transport this module was checked against.
KOMBU_CHECKED = ((5, 3), (5, 7))


class KombuVersionError(RuntimeError):
    """The installed kombu is outside the range this module was checked against."""


def check_kombu(version: str = kombu.__version__) -> None:
    major, minor = (int(part) for part in version.split(".")[:2])
    lowest, highest = KOMBU_CHECKED
    if not lowest <= (major, minor) <= highest:
        raise KombuVersionError(
            f"kombu {version} is outside the range Turnout's Redis transport was checked against "
            f"({lowest[0]}.{lowest[1]} to {highest[0]}.{highest[1]}); install kombu from constraints.txt"
        )


check_kombu()


_SWEEP_DEFERRED = RefusalLine("restore_sweep_deferred", "kombu's restore sweep deferred to its next tick")


class QoS(kombu_redis.QoS):
    """kombu's, keeping the record of a delivery Redis refused until Redis takes it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Delivery tag -> (the unacked hash's value, delivery time). The event loop adds and writes them;
        # a pool thread's ack takes one out: hence the lock.
        self._unrecorded: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def append(self, message: Any, delivery_tag: str) -> None:
        self.record_refused()  # a delivery is the likeliest moment Redis has room again
        try:
            super().append(message, delivery_tag)
        except Exception as exc:
            if not is_write_refusal(exc):
                raise
            # BRPOP has taken the message off its queue: its record is kept here until Redis takes it.
            delivery = message.delivery_info
            record = dumps([message._raw, delivery["exchange"], delivery["routing_key"]])
            with self._lock:
                first = not self._unrecorded
                self._unrecorded[delivery_tag] = (record, time.time())
            virtual.QoS.append(self, message, delivery_tag)
            if first:
                log.warning("delivery_not_recorded", error_type=type(exc).__name__)

    def ack(self, delivery_tag: str) -> None:
        with self._lock:
            unrecorded = self._unrecorded.pop(delivery_tag, None) is not None
        if unrecorded:  # nothing in Redis to remove
            virtual.QoS.ack(self, delivery_tag)
        else:
            super().ack(delivery_tag)

    def reject(self, delivery_tag: str, requeue: bool = False) -> None:
        with self._lock:
            unrecorded = delivery_tag in self._unrecorded
        if not unrecorded:
            super().reject(delivery_tag, requeue=requeue)
        elif requeue:
            # Putting it back is a write too: once its record is written, it comes back from there.
            virtual.QoS.ack(self, delivery_tag)
        else:
            self.ack(delivery_tag)  # dropped: the same as an ack

    def record_refused(self) -> bool:
        """Write the records Redis refused before, in one round trip; False if that fails (kept for the
        next try). Never raises: it runs just after BRPOP took a message, which must not be lost."""
        with self._lock:
            pending = dict(self._unrecorded)
        if not pending:
            return True
        try:
            with self.pipe_or_acquire() as pipe:
                pipe.zadd(self.unacked_index_key, {tag: at for tag, (_, at) in pending.items()})
                pipe.hset(self.unacked_key, mapping={tag: record for tag, (record, _) in pending.items()})
                pipe.execute()
        except redis.RedisError:
            return False
        with self._lock:
            acked = [tag for tag in pending if tag not in self._unrecorded]
            for tag in pending:
                self._unrecorded.pop(tag, None)
        log.info("deliveries_recorded", count=len(pending))
        if acked:  # acked while their records were being written: those records go again
            with contextlib.suppress(redis.RedisError), self.pipe_or_acquire() as pipe:
                pipe.zrem(self.unacked_index_key, *acked).hdel(self.unacked_key, *acked).execute()
        return True

    def restore_visible(self, *args: Any, **kwargs: Any) -> Any:
        self.record_refused()  # kombu's own periodic timer in a worker
        try:
            return super().restore_visible(*args, **kwargs)
        except redis.RedisError as exc:
            # Its first step is a lock (a write): a full Redis refuses it and the sweep has done nothing.
            # The next tick sweeps; one line says why, where kombu's timer would log a traceback per tick.
            if not is_write_refusal(exc):
                raise
            _SWEEP_DEFERRED.refused(exc)
            return None

    def restore_unacked(self, client: Any = None) -> Any:
        # A channel closing (a reconnect, a warm shutdown) puts its unacked messages back from their
        # records: a record never written would be a message lost.
        if not self.record_refused():
            log.error("deliveries_lost_at_close", count=len(self._unrecorded))
        return super().restore_unacked(client)


class Channel(kombu_redis.Channel):
    QoS = QoS

    def _create_client(self, asynchronous: bool = False) -> Any:
        if getattr(self.connection, "client", None) is None:
            # The transport is closed already (a Redis restart; see the module's docstring).
            raise redis.ConnectionError("the channel's connection is closed")
        return super()._create_client(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel


TRANSPORT = f"{__name__}:Transport"


def transport_for(broker_url: str | None) -> str | None:
    """A worker's `broker_transport` for a broker URL: this seam for plain `redis://`, else kombu's choice."""
    return TRANSPORT if broker_url and broker_url.startswith("redis://") else None
