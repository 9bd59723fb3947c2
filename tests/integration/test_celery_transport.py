"""worker/celery_transport.py, the one seam with kombu: a delivery Redis refuses to record is kept and
recorded later; the kombu version it was checked against; the Redis layout worker liveness reads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import redis
from celery import Celery
from kombu import Consumer, Queue
from structlog.testing import capture_logs

from producer.local_stack import RedisServer
from worker.celery_app import create_app
from worker.celery_transport import TRANSPORT, KombuVersionError, QoS, check_kombu, transport_for
from worker.flow.priority import Priority
from worker.liveness import carried_job
from worker.queues import LOCAL_TASK
from worker.settings import Settings
from worker.store import Store
from worker.store.keys import KOMBU_UNACKED, KOMBU_UNACKED_INDEX

pytestmark = pytest.mark.integration


def worker_app(url: str) -> Celery:
    """The app as a worker runs it (worker/main.py): the seam as its transport."""
    app = create_app(Settings(broker_url=url))
    app.conf.broker_transport = transport_for(url)
    return app


def test_workers_on_plain_redis_use_it_and_everything_else_keeps_kombus() -> None:
    assert transport_for("redis://localhost:6379/0") == TRANSPORT
    assert transport_for("rediss://:pw@cache.example:6380/0") is None  # kombu's TLS defaults stay in force
    assert transport_for(None) is None
    # The producer, Flower and the health check build the app as it is: kombu's transport, whose URL
    # Flower's broker view reads.
    app = create_app(Settings(broker_url="redis://localhost:6379/0"))
    assert app.conf.broker_transport is None
    assert app.connection_for_write().as_uri().startswith("redis://")


@dataclass
class Seam:
    """A worker's broker connection, and a client to inspect Redis."""

    client: redis.Redis
    connection: Any

    @property
    def qos(self) -> QoS:
        qos = self.connection.default_channel.qos
        assert isinstance(qos, QoS)
        return qos

    def recorded(self) -> int:
        return int(self.client.hlen(KOMBU_UNACKED))


@pytest.fixture
def seam(own_redis: RedisServer) -> Iterator[Seam]:
    client = redis.Redis.from_url(own_redis.url, decode_responses=True)
    client.delete(KOMBU_UNACKED, KOMBU_UNACKED_INDEX)
    with worker_app(own_redis.url).connection_for_write() as connection:
        yield Seam(client, connection)
    client.config_set("maxmemory", 0)
    client.execute_command("REPLICAOF", "NO", "ONE")
    client.close()


@contextmanager
def refusing_writes(client: redis.Redis, how: str = "full") -> Iterator[None]:
    """Redis full (noeviction, as shipped: every command that could grow memory is refused), or a
    read-only replica (of a primary that does not answer: it keeps its data, refuses every write)."""
    if how == "full":
        client.config_set("maxmemory", 1)
    else:
        client.execute_command("REPLICAOF", "127.0.0.1", "1")
    try:
        yield
    finally:
        client.config_set("maxmemory", 0)
        client.execute_command("REPLICAOF", "NO", "ONE")


def test_a_delivery_redis_refuses_to_record_is_handed_over_and_recorded_later(seam: Seam) -> None:
    """BRPOP has taken the message off its queue when the record is refused: kombu would raise (the
    message is lost). Here it is delivered, and recorded once Redis accepts writes again (on kombu's
    own periodic `restore_visible`), so it can come back if the worker dies."""
    queue = seam.connection.SimpleQueue("refused-delivery")
    queue.put({"n": 7})
    with refusing_writes(seam.client), capture_logs() as logs:
        message = queue.get(timeout=5)
        assert message.payload == {"n": 7}
        assert seam.recorded() == 0
        assert not seam.qos.record_refused()  # still refused: kept, nothing raised
    assert [e["event"] for e in logs].count("delivery_not_recorded") == 1
    seam.qos.restore_visible(interval=1)
    assert seam.recorded() == 1 and seam.client.zcard(KOMBU_UNACKED_INDEX) == 1
    message.ack()
    assert seam.recorded() == 0 and seam.client.zcard(KOMBU_UNACKED_INDEX) == 0
    queue.close()


def test_an_ack_before_the_record_is_written_needs_no_write_at_all(seam: Seam) -> None:
    queue = seam.connection.SimpleQueue("refused-then-acked")
    queue.put({"n": 1})
    with refusing_writes(seam.client):
        message = queue.get(timeout=5)
        message.ack()  # deletions are never refused, and there is nothing to delete
    assert seam.qos.record_refused()
    assert seam.recorded() == 0 and seam.client.zcard(KOMBU_UNACKED_INDEX) == 0
    assert seam.client.llen("refused-then-acked") == 0  # nothing to re-deliver either
    queue.close()


def test_a_requeue_before_the_record_is_written_frees_the_slot_and_comes_back_from_the_record(
    seam: Seam,
) -> None:
    """Putting a message back is a write: it waits for the record, from which the visibility sweep (or
    worker liveness) puts it back; the prefetch slot comes back at once, or the worker stops consuming."""
    queue = seam.connection.SimpleQueue("refused-requeue")
    queue.put({"n": 0})
    with refusing_writes(seam.client):
        message = queue.get(timeout=5)
        message.requeue()
    qos = seam.qos
    assert qos.can_consume() and len(qos._delivered) - len(qos._dirty) == 0
    qos.visibility_timeout = 0
    qos.restore_visible(interval=1)  # records it, then restores what is older than the timeout
    again = queue.get(timeout=5)
    assert again.payload == {"n": 0}
    again.ack()
    queue.close()


def test_a_record_still_unwritten_is_written_before_the_channel_puts_its_messages_back(seam: Seam) -> None:
    """A channel closing (a reconnect, a warm shutdown) puts its unacked messages back from their records."""
    queue = seam.connection.SimpleQueue("refused-then-closed")
    queue.put({"n": 2})
    with refusing_writes(seam.client):
        queue.get(timeout=5)
    seam.connection.default_channel.close()
    assert seam.client.llen("refused-then-closed") == 1 and seam.recorded() == 0


def test_a_channel_of_a_closed_transport_answers_with_a_connection_error_not_a_crash(seam: Seam) -> None:
    """At a Redis restart Celery releases the lost connection; its channel then still asks the closed
    transport (its `client` gone) for a client: to restore its unacked messages as it closes, or to ack
    a task that was running on a thread. kombu's own transport raises AttributeError there, which Celery
    treats as unrecoverable: the worker exits (seen in the chaos run). Here it is a connection error,
    which kombu's close ignores and its ack logs; the messages stay in the unacked set, for worker
    liveness."""
    queue = seam.connection.SimpleQueue("closed-transport")
    queue.put({"n": 4})
    queue.put({"n": 5})
    running, waiting = queue.get(timeout=5), queue.get(timeout=5)
    channel = seam.connection.default_channel
    transport = channel.connection
    client, transport.client = transport.client, None  # what kombu's Connection does to a closed transport
    try:
        seam.connection.maybe_close_channel(channel)  # raises nothing: the worker lives on
        with pytest.raises(redis.ConnectionError):
            running.ack()  # finished after the close: kombu's ack_log_error logs this and goes on
    finally:
        transport.client = client
    assert channel.closed and seam.recorded() == 2  # neither restored nor lost
    assert {json.loads(raw)[0]["properties"]["delivery_tag"] for raw in seam.client.hvals(KOMBU_UNACKED)} == {
        running.delivery_tag,
        waiting.delivery_tag,
    }


def test_a_read_only_redis_refuses_the_pop_itself_so_the_message_stays_queued(seam: Seam) -> None:
    """On a read-only replica (or one failing to persist) BRPOP is refused too: nothing leaves the queue,
    and the error is a channel error, from which a worker reconnects (`broker_channel_error_retry`)."""
    queue = seam.connection.SimpleQueue("read-only")
    queue.put({"n": 3})
    with refusing_writes(seam.client, "read-only"):
        with pytest.raises(redis.exceptions.ReadOnlyError) as refused:
            queue.get(timeout=5)
        assert isinstance(refused.value, seam.connection.channel_errors)
        assert create_app(Settings(broker_url="redis://localhost:1/0")).conf.broker_channel_error_retry
        assert seam.client.llen("read-only") == 1
    again = queue.get(timeout=5)
    assert again.payload == {"n": 3}
    again.ack()
    queue.close()


# ---- the seam's version check, and the Redis layout worker/liveness.py reads ----------------------
def test_the_installed_kombu_is_in_the_checked_range_and_others_are_refused() -> None:
    check_kombu()  # the installed one (constraints.txt)
    for version in ("5.2.4", "6.0.0", "4.6.11"):
        with pytest.raises(KombuVersionError, match="constraints.txt"):
            check_kombu(version)


def test_a_delivered_unacknowledged_message_is_where_liveness_reads_it(redis_server: RedisServer) -> None:
    """kombu files a sent job message under its priority step's list, and once delivered and not acked,
    keeps it in `unacked` (as [envelope, exchange, routing key]) with its time in `unacked_index`."""
    app = create_app(Settings(broker_url=redis_server.url))
    store = Store.from_url(redis_server.url)
    queue = Queue("layout-check")  # no worker of the session's stack consumes it
    message = {"v": 1, "job_id": "b-layout.000001", "batch_id": "b-layout", "generation": 2}
    app.send_task(LOCAL_TASK, args=[message], task_id="layout-1", priority=int(Priority.NORMAL), queue=queue)
    assert store.redis.llen("layout-check:3") == 1
    received: list[Any] = []
    with app.connection_for_write() as connection:
        with Consumer(connection, [queue], callbacks=[lambda body, m: received.append(m)]):
            connection.drain_events(timeout=5)
        (tag,) = [m.delivery_tag for m in received]
        envelope = json.loads(store.redis.hget(KOMBU_UNACKED, tag))[0]
        carried = carried_job(envelope)
        assert carried is not None and carried.task_name == LOCAL_TASK and carried.generation == 2
        assert carried.job_id == "b-layout.000001"
        assert store.redis.zscore(KOMBU_UNACKED_INDEX, tag) is not None
        received[0].ack()
    assert store.redis.hget(KOMBU_UNACKED, tag) is None
    store.redis.close()
