"""kombu's Redis transport, less two costs per message, and no message lost when Redis refuses writes.

kombu's Redis channel builds a fresh `redis.Redis` for every `conn_or_acquire()` without a client, which
Celery's worker does for each task event it publishes (task-received, -started, -succeeded: three per
task, plus task-sent when a stage forwards a job). Building one copies redis-py's table of ~200 response
callbacks; py-spy (`--gil`) put it at ~9% of the local pool's CPU. A `redis.Redis` is thread-safe (each
command borrows a connection from the pool), so one per channel and pool serves every such call.

kombu also wraps the bookkeeping of each unacknowledged message (on delivery: ZADD to the index and
HSET of the message; on ack: ZREM and HDEL) in MULTI/EXEC. Neither pair needs to be atomic: the
visibility sweep only restores index entries older than the visibility timeout, long after both writes
of a delivery have landed, and an ack removes the index entry before the message. Plain pipelines send
the same writes in the same round trip, without the transaction's extra commands and replies (each hop
pays both, twice per job).

In a worker (a transport registered with an event loop), acks are written in batches: `ack` frees the
prefetch slot at once and queues the Redis write, which the loop's timer sends for every acked message
every `ACK_WRITE_INTERVAL_S`, as one ZREM and one HDEL instead of a round trip per message on every hop.
A write that has not happened yet is only a delivery still in the unacked set: if the worker dies
first, the message is restored once the visibility timeout has passed, and a re-delivery of a finished
job is recognised by the store (a job records one result). So a crash costs at most
`ACK_WRITE_INTERVAL_S` worth of acks as re-deliveries an hour later, never a loss; a job still in
flight by then (a cloud-batch job waiting for its deadline) can be worked twice, as kombu's own window
between a task's end and its ack already allowed. Pending writes go out when the channel closes (a warm
shutdown or a reconnect); a failed write is kept and tried again, after `ACK_RETRY_AFTER_S`, logged once
per outage. Without an event loop (a producer, `drain_events`), acks are written at once, as kombu does.

A delivery's own bookkeeping (ZADD and HSET, just after BRPOP took the message off its queue) can be
refused by a full Redis (`noeviction`): it lets BRPOP through (a pop frees memory) and refuses the writes
that follow. (A read-only or failing-to-persist Redis refuses the BRPOP itself: nothing leaves the queue,
and Celery reconnects, with `broker_channel_error_retry`.) kombu raises there, which kills the worker
(Celery treats a non-connection error in its consumer as unrecoverable) and loses the message, which then
exists only in this process; with Celery's `broker_channel_error_retry` (set in worker/celery_app.py) the
worker reconnects instead, but the message is lost all the same. This is the one place where nothing
above the transport can help, so here, in a worker, the refused write is kept and tried again on the ack
timer, and the message is handed to Celery as usual: the job's task rides out the refusal itself
(worker/tasks.py). An ack of a delivery whose bookkeeping was never written needs no write at all. A
worker killed before the write lands loses that delivery, as kombu's would (it is in nobody's unacked
set); the window is the refusal's length, and a warm shutdown tries the write once more. A re-queue (a
reject) that Redis refuses leaves the message in the unacked set, for the visibility sweep, and frees its
prefetch slot (kombu would raise and hold it).

Selected with `broker_transport` for `redis://` URLs (worker/celery_app.py); `rediss://` keeps kombu's own
transport, whose TLS defaults hang on the transport's name (there, a refused delivery record costs a
reconnect and that message, as above). Everything else is kombu's.

This is the one seam with kombu's internals, and it is checked: at import, a kombu outside the range it
was written and tested for (`KOMBU_CHECKED`) is refused with one line, so an upgrade fails loudly at the
first worker start, not silently at the first lost job. Beyond the methods overridden here, Turnout relies
on kombu's Redis layout: queues as one list per priority step holding kombu's JSON envelopes
(worker/flow/publish.py writes them in bulk) and the `unacked` hash and `unacked_index` sorted set
(worker/liveness.py reads them to find a message whose worker died before holding its job).
"""

from __future__ import annotations

import collections
import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import kombu
import redis
import structlog
from kombu.transport import redis as kombu_redis
from kombu.transport import virtual
from kombu.utils.json import dumps

from worker.store_refusal import is_write_refusal

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

ACK_WRITE_INTERVAL_S = 0.05
ACK_RETRY_AFTER_S = 1.0


class QoS(kombu_redis.QoS):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Delivery tags acked but not yet removed from Redis. A deque: worker threads append, the event
        # loop's timer pops (both atomic), so no lock is needed.
        self._unwritten_acks: collections.deque[str] = collections.deque()
        self._retry_at = 0.0  # monotonic time before which a failed write is not tried again
        # Deliveries whose bookkeeping Redis refused: tag -> (the unacked hash's value, delivery time).
        # Guarded by the lock: the timer writes them while pool threads ack.
        self._unwritten_deliveries: dict[str, tuple[str, float]] = {}
        self._writing_deliveries: set[str] = set()
        self._acked_while_writing: set[str] = set()
        self._deliveries_lock = threading.Lock()

    def append(self, message: Any, delivery_tag: str) -> None:
        try:
            super().append(message, delivery_tag)
        except Exception as exc:
            if not (getattr(self.channel.connection, "batches_acks", False) and is_write_refusal(exc)):
                raise
            # BRPOP already took the message off its queue: keep its bookkeeping for the timer to write.
            delivery = message.delivery_info
            record = dumps([message._raw, delivery["exchange"], delivery["routing_key"]])
            with self._deliveries_lock:
                self._unwritten_deliveries[delivery_tag] = (record, time.time())
            virtual.QoS.append(self, message, delivery_tag)
            if not self._retry_at:
                log.warning("delivery_not_recorded", error_type=type(exc).__name__)
            self._retry_at = self._retry_at or time.monotonic() + ACK_RETRY_AFTER_S

    def ack(self, delivery_tag: str) -> None:
        if not getattr(self.channel.connection, "batches_acks", False):
            super().ack(delivery_tag)
            return
        with self._deliveries_lock:
            never_written = self._unwritten_deliveries.pop(delivery_tag, None) is not None
            if delivery_tag in self._writing_deliveries:
                self._acked_while_writing.add(delivery_tag)
        # Never raises and never does I/O here (a pool thread's ack): the timer writes.
        if not never_written:
            self._unwritten_acks.append(delivery_tag)
        virtual.QoS.ack(self, delivery_tag)  # the prefetch slot is free now; only the write waits

    def reject(self, delivery_tag: str, requeue: bool = False) -> None:
        with self._deliveries_lock:
            unwritten = delivery_tag in self._unwritten_deliveries or delivery_tag in self._writing_deliveries
        if not unwritten:
            try:
                super().reject(delivery_tag, requeue=requeue)
            except Exception as exc:
                if not (requeue and is_write_refusal(exc)):
                    raise
                # Putting it back was refused: it stays in the unacked set, where the visibility sweep
                # finds it. Its prefetch slot must come back all the same, or the worker stops consuming.
                log.warning("requeue_refused", error_type=type(exc).__name__)
                virtual.QoS.ack(self, delivery_tag)
        elif requeue:
            # Putting it back is a write too: its bookkeeping, once written, has the sweep re-deliver it.
            virtual.QoS.ack(self, delivery_tag)
        else:
            self.ack(delivery_tag)  # dropped: the same as an ack

    def _write_deliveries(self) -> bool:
        """Write the bookkeeping of deliveries Redis refused before; False if it refuses again."""
        with self._deliveries_lock:
            pending, self._unwritten_deliveries = self._unwritten_deliveries, {}
            self._writing_deliveries = set(pending)
        if not pending:
            return True
        written = False
        try:
            with self.pipe_or_acquire() as pipe:
                pipe.zadd(self.unacked_index_key, {tag: at for tag, (_, at) in pending.items()})
                pipe.hset(self.unacked_key, mapping={tag: record for tag, (record, _) in pending.items()})
                pipe.execute()
            written = True
        except Exception as exc:  # noqa: BLE001 - kept for the next try, like an ack
            if not self._retry_at:
                log.warning("deliveries_not_recorded", pending=len(pending), error_type=type(exc).__name__)
        with self._deliveries_lock:
            if not written:  # back in line, less those acked meanwhile (their ack needs no write then)
                for tag, value in pending.items():
                    if tag not in self._acked_while_writing:
                        self._unwritten_deliveries.setdefault(tag, value)
            self._writing_deliveries = set()
            self._acked_while_writing = set()
        if written:
            log.info("deliveries_recorded", count=len(pending))
        return written

    def write_acks(self, now: bool = False) -> int:
        """Remove every acked delivery still in Redis's unacked set, in one round trip; how many were.

        Never raises: a failed write keeps its tags for the next try, not before `ACK_RETRY_AFTER_S`
        (unless `now`: the channel is closing), and is logged once per outage."""
        if not now and time.monotonic() < self._retry_at:
            return 0
        if not self._write_deliveries():  # before the acks: an ack must never precede its delivery's record
            self._retry_at = time.monotonic() + ACK_RETRY_AFTER_S
            return 0
        tags: list[str] = []
        with contextlib.suppress(IndexError):
            while True:
                tags.append(self._unwritten_acks.popleft())
        if not tags:
            self._retry_at = 0.0
            return 0
        try:
            with self.pipe_or_acquire() as pipe:
                pipe.zrem(self.unacked_index_key, *tags).hdel(self.unacked_key, *tags).execute()
        except Exception as exc:  # noqa: BLE001 - kept; if never written, the sweep re-delivers, the store dedupes
            self._unwritten_acks.extendleft(reversed(tags))
            if not self._retry_at:
                log.warning("acks_not_written", pending=len(tags), error_type=type(exc).__name__)
            self._retry_at = time.monotonic() + ACK_RETRY_AFTER_S
            return 0
        if self._retry_at:
            log.info("acks_written_again", count=len(tags))
            self._retry_at = 0.0
        return len(tags)

    def restore_unacked_once(self, stderr: Any = None) -> Any:
        self.write_acks(now=True)  # also on the interpreter-exit path, where no close() ran
        if self._unwritten_deliveries:
            log.error("deliveries_lost_at_close", count=len(self._unwritten_deliveries))
        return super().restore_unacked_once(stderr)

    @contextmanager
    def pipe_or_acquire(self, pipe: Any = None, client: Any = None) -> Iterator[Any]:
        if pipe is not None:  # a caller's pipeline (the restore's WATCH transaction): use it as is
            yield pipe
        else:
            with self.channel.conn_or_acquire(client) as client:
                yield client.pipeline(transaction=False)


class Channel(kombu_redis.Channel):
    QoS = QoS
    _shared_client: Any = None

    def _create_client(self, asynchronous: bool = False) -> Any:
        if getattr(self.connection, "client", None) is None:
            # The transport is already closed (a reconnect tearing the old connection down, then closing
            # its channels, whose restore of unacked messages asks for a client): kombu would fail with an
            # AttributeError, which Celery treats as unrecoverable and the worker exits. A connection error
            # is what it is; the restore is skipped (worker liveness re-issues what this connection held).
            raise redis.ConnectionError("the channel's connection is closed")
        if asynchronous:  # the BRPOP/LISTEN client keeps its own connection: never shared
            return super()._create_client(asynchronous=True)
        client = self._shared_client
        # A reconnect replaces the channel's pool: a client on the old pool must not outlive it.
        if client is None or client.connection_pool is not self.pool:
            client = self._shared_client = super()._create_client()
        return client

    def close(self) -> None:
        if self._qos is not None and not self.closed:
            self._qos.write_acks(now=True)  # while the channel's connections are still up
        super().close()


class Transport(kombu_redis.Transport):
    Channel = Channel
    batches_acks = False
    _ack_timer: Any = None

    def register_with_event_loop(self, connection: Any, loop: Any) -> None:
        super().register_with_event_loop(connection, loop)
        if self._ack_timer is not None:
            self._ack_timer.cancel()
        self._ack_timer = loop.call_repeatedly(ACK_WRITE_INTERVAL_S, self._write_acks)
        self.batches_acks = True

    def close_connection(self, connection: Any) -> None:
        if self._ack_timer is not None:  # a reconnect registers a new transport: no stale timer left behind
            self._ack_timer.cancel()
            self._ack_timer = None
        super().close_connection(connection)

    def _write_acks(self) -> None:
        channels: list[Any] = list(self.channels or ())
        for channel in channels:
            if channel._qos is not None:
                channel._qos.write_acks()


TRANSPORT = f"{__name__}:Transport"


def transport_for(broker_url: str | None) -> str | None:
    """The `broker_transport` setting for a broker URL: ours for plain `redis://`, else kombu's choice."""
    return TRANSPORT if broker_url and broker_url.startswith("redis://") else None
