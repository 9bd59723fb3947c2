"""Turnout's Redis transport: kombu's, with one redis client object per channel and pool, no
transactions around the unacked bookkeeping, and acks written in batches inside a worker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import redis
from kombu import Consumer, Queue
from kombu.asynchronous import Hub
from structlog.testing import capture_logs

from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, wait_until
from producer.submit import submit_batch
from tests.conftest import Stack
from worker.celery_app import create_app
from worker.celery_transport import TRANSPORT, Channel, KombuVersionError, check_kombu, transport_for
from worker.flow.priority import Priority
from worker.liveness import carried_job
from worker.queues import LOCAL_TASK
from worker.schema import TaskKind, TaskSpec
from worker.settings import Settings
from worker.store import Store
from worker.store.keys import KOMBU_UNACKED, KOMBU_UNACKED_INDEX

pytestmark = pytest.mark.integration


def test_plain_redis_urls_use_it_and_tls_urls_keep_kombus() -> None:
    assert transport_for("redis://localhost:6379/0") == TRANSPORT
    assert transport_for("rediss://:pw@cache.example:6380/0") is None  # kombu's TLS defaults stay in force
    assert transport_for(None) is None


def test_a_channel_reuses_one_client_until_its_pool_changes(redis_server: RedisServer) -> None:
    app = create_app(Settings(broker_url=redis_server.url))
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        assert isinstance(channel, Channel)
        with channel.conn_or_acquire() as first, channel.conn_or_acquire() as second:
            assert first is second
            assert first.ping()
        channel._pool = None  # what a reconnect does: a new pool, so a new client on it
        with channel.conn_or_acquire() as third:
            assert third is not first
            assert third.connection_pool is channel.pool
            assert third.ping()


def test_task_events_still_reach_a_subscriber(redis_server: RedisServer) -> None:
    """Events are what the shared client publishes most: a subscriber on the broker gets every one."""
    app = create_app(Settings(broker_url=redis_server.url))
    subscriber = redis.Redis.from_url(redis_server.url).pubsub()
    subscriber.psubscribe("*celeryev*")
    assert subscriber.get_message(timeout=5)["type"] == "psubscribe"  # type: ignore[index]
    with app.connection_for_write() as connection, app.events.Dispatcher(connection) as dispatcher:
        for n in range(3):
            dispatcher.send("task-sent", uuid=f"t-{n}", name="turnout.classify")
    published = []
    while len(published) < 3 and (message := subscriber.get_message(timeout=5)) is not None:
        published.append(json.loads(message["data"])["body"])
    subscriber.close()
    assert len(published) == 3


def test_unacked_bookkeeping_skips_the_transaction_and_a_lost_delivery_still_comes_back(
    own_redis: RedisServer,
) -> None:
    """A delivery is recorded (index + message) and an ack removes it, with no MULTI/EXEC around either;
    a delivery never acked is restored to its queue once the visibility timeout has passed."""
    client = redis.Redis.from_url(own_redis.url, decode_responses=True)
    app = create_app(Settings(broker_url=own_redis.url))

    def transactions() -> int:
        return int(client.info("commandstats").get("cmdstat_multi", {}).get("calls", 0))

    with app.connection_for_write() as connection:
        channel = connection.default_channel
        queue = connection.SimpleQueue("transport-test")
        for n in range(2):
            queue.put({"n": n})
        before = transactions()
        first = queue.get(timeout=5)
        assert client.hlen("unacked") == 1 and client.zcard("unacked_index") == 1
        first.ack()
        assert client.hlen("unacked") == 0 and client.zcard("unacked_index") == 0
        assert transactions() == before

        second = queue.get(timeout=5)  # delivered, then its consumer "dies": never acked
        assert second.payload == {"n": 1} and client.hlen("unacked") == 1
        # The sweep restores what was delivered longer ago than the visibility timeout.
        channel.qos.visibility_timeout = 0
        channel.qos.restore_visible(interval=1)
        assert client.hlen("unacked") == 0
        again = queue.get(timeout=5)
        assert again.payload == {"n": 1}
        again.ack()
        queue.close()
    client.close()


def _hdel_calls(client: redis.Redis) -> int:
    return int(client.info("commandstats").get("cmdstat_hdel", {}).get("calls", 0))


@dataclass
class Looped:
    """A broker connection registered with an event loop, as a worker's is, and a client to inspect Redis."""

    client: redis.Redis
    connection: Any
    hub: Hub

    def queue_with(self, name: str, n: int) -> tuple[Any, list[Any]]:
        """A queue and n of its messages, delivered (and so recorded as unacked)."""
        queue = self.connection.SimpleQueue(name)
        for i in range(n):
            queue.put({"n": i})
        return queue, [queue.get(timeout=5) for _ in range(n)]

    def until_written(self, what: str) -> None:
        """Run the loop's timers until no delivery is left in the unacked set."""

        def written() -> bool:
            self.hub.fire_timers(propagate=(Exception,))
            return self.client.hlen("unacked") == 0 and self.client.zcard("unacked_index") == 0

        wait_until(written, 10, what, interval_s=0.01)


@pytest.fixture
def looped(own_redis: RedisServer) -> Iterator[Looped]:
    client = redis.Redis.from_url(own_redis.url, decode_responses=True)
    client.delete("unacked", "unacked_index")
    hub = Hub()
    with create_app(Settings(broker_url=own_redis.url)).connection_for_write() as connection:
        connection.transport.register_with_event_loop(connection.connection, hub)
        yield Looped(client, connection, hub)
    client.execute_command("ACL", "SETUSER", "default", "+hdel")  # whatever a test denied
    hub.close()
    client.close()


def test_in_a_worker_loop_acks_are_written_together_on_a_timer(looped: Looped) -> None:
    """Registered with an event loop (as in a worker), an ack frees the message at once and its Redis
    write waits for the loop's timer, which removes every acked delivery in one round trip."""
    assert looped.connection.transport.batches_acks
    queue, messages = looped.queue_with("batched-acks", 3)
    before = _hdel_calls(looped.client)
    for message in messages:
        message.ack()
    qos = looped.connection.default_channel.qos
    assert len(qos._delivered) - len(qos._dirty) == 0  # the prefetch window is free already
    assert looped.client.hlen("unacked") == 3  # ... and the writes wait for the timer
    looped.until_written("the ack timer")
    assert _hdel_calls(looped.client) == before + 1  # one write for all three
    queue.close()


def test_acks_still_unwritten_are_written_when_the_channel_closes(looped: Looped) -> None:
    queue, messages = looped.queue_with("acks-at-close", 1)
    messages[0].ack()
    assert looped.client.hlen("unacked") == 1
    queue.close()
    looped.connection.default_channel.close()  # a warm shutdown or a reconnect closes the channel
    assert looped.client.hlen("unacked") == 0 and looped.client.zcard("unacked_index") == 0


def test_a_failed_ack_write_is_kept_tried_again_later_and_logged_once(looped: Looped) -> None:
    """Redis refuses the write (here: an ACL denies HDEL): the timer neither raises nor drops the acks, logs
    the outage once, and writes them all once Redis accepts writes again."""
    queue, messages = looped.queue_with("acks-refused", 2)
    looped.client.execute_command("ACL", "SETUSER", "default", "-hdel")
    with capture_logs() as logs:
        for message in messages:
            message.ack()
        qos = looped.connection.default_channel.qos
        for _ in range(3):  # three ticks: one try, then the retry waits
            looped.connection.transport._write_acks()
        assert looped.client.hlen("unacked") == 2 and len(qos._unwritten_acks) == 2
        looped.client.execute_command("ACL", "SETUSER", "default", "+hdel")
        looped.until_written("the kept acks")
    assert not qos._unwritten_acks
    assert [e["event"] for e in logs].count("acks_not_written") == 1
    queue.close()


def test_an_ack_never_written_means_a_redelivery_not_a_loss(looped: Looped) -> None:
    """A worker killed between an ack and its write: the delivery is still in the unacked set, so the
    visibility sweep puts the message back (the store then recognises a finished job's re-delivery)."""
    channel = looped.connection.default_channel
    queue, messages = looped.queue_with("acks-lost", 1)
    messages[0].ack()
    assert looped.client.hlen("unacked") == 1
    channel.qos._unwritten_acks.clear()  # the process died before the timer fired
    channel.qos.visibility_timeout = 0
    channel.qos.restore_visible(interval=1)
    again = queue.get(timeout=5)
    assert again.payload == {"n": 0}
    again.ack()
    looped.until_written("the second ack")
    queue.close()


def test_real_workers_write_every_ack_of_a_batch(stack: Stack) -> None:
    """In real worker processes (prefork classify, threaded local and cloud) the ack timer runs: once a
    batch is done, none of its deliveries is left in the unacked set to be re-delivered later."""
    client = redis.Redis.from_url(stack.settings.broker_url, decode_responses=True)
    docs = [
        LoadedDocument(source=f"ack-{i}.txt", text=f"Standup moved to {i} am.", metadata={}) for i in range(8)
    ]
    summary = submit_batch(stack.store, stack.app, iter(docs), TaskSpec(kind=TaskKind.SUMMARIZE))
    wait_until(lambda: stack.store.report(summary.batch_id).done, 60, "the batch")
    job_ids = {r.job_id for r in stack.store.iter_results(summary.batch_id)}
    assert len(job_ids) == 8

    def batch_deliveries_left() -> int:
        left = 0
        for raw in client.hvals("unacked"):
            task_id = json.loads(raw)[0]["headers"]["id"]
            left += task_id.split(":", 1)[-1] in job_ids
        return left

    wait_until(lambda: batch_deliveries_left() == 0, 10, "the batch's acks")
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


def _fire_until(looped: Looped, condition: Any, what: str) -> None:
    def fired() -> bool:
        looped.hub.fire_timers(propagate=(Exception,))
        return bool(condition())

    wait_until(fired, 10, what, interval_s=0.01)


@pytest.mark.parametrize("how", ["full", "read-only"])
def test_a_delivery_redis_refuses_to_record_is_handed_over_and_recorded_later(
    looped: Looped, how: str
) -> None:
    """BRPOP has taken the message off its queue when the bookkeeping is refused: kombu would raise (the
    worker exits, the message is lost). Here the message is delivered, and its record written once Redis
    accepts writes again, so an unacked delivery is never missing from the unacked set for long."""
    queue = looped.connection.SimpleQueue("refused-delivery")
    queue.put({"n": 7})
    with refusing_writes(looped.client), capture_logs() as logs:
        message = queue.get(timeout=5)
        assert message.payload == {"n": 7}
        assert looped.client.hlen("unacked") == 0
        looped.connection.transport._write_acks()  # still refused: kept, nothing raised
    assert [e["event"] for e in logs].count("delivery_not_recorded") == 1
    _fire_until(looped, lambda: looped.client.hlen("unacked") == 1, "the delivery's record")
    assert looped.client.zcard("unacked_index") == 1
    message.ack()
    looped.until_written("the ack")
    queue.close()


def test_an_ack_before_the_record_is_written_needs_no_write_at_all(looped: Looped) -> None:
    queue = looped.connection.SimpleQueue("refused-then-acked")
    queue.put({"n": 1})
    with refusing_writes(looped.client):
        message = queue.get(timeout=5)
        message.ack()
    qos = looped.connection.default_channel.qos
    _fire_until(looped, lambda: not qos._unwritten_deliveries and not qos._unwritten_acks, "the timer")
    assert looped.client.hlen("unacked") == 0 and looped.client.zcard("unacked_index") == 0
    assert looped.client.llen("refused-then-acked") == 0  # nothing to re-deliver either
    queue.close()


def test_a_refused_requeue_frees_the_prefetch_slot_and_leaves_the_message_to_the_sweep(
    looped: Looped,
) -> None:
    """Putting a message back is a write: refused, the message stays in the unacked set (the visibility
    sweep restores it), and the worker's prefetch slot comes back, or it would stop consuming."""
    queue, (message,) = looped.queue_with("refused-requeue", 1)
    qos = looped.connection.default_channel.qos
    with refusing_writes(looped.client):
        message.requeue()
    assert qos.can_consume() and len(qos._delivered) - len(qos._dirty) == 0
    assert looped.client.hlen("unacked") == 1
    qos.visibility_timeout = 0
    qos.restore_visible(interval=1)
    again = queue.get(timeout=5)
    assert again.payload == {"n": 0}
    again.ack()
    looped.until_written("the second ack")
    queue.close()


def test_a_read_only_redis_refuses_the_pop_itself_so_the_message_stays_queued(looped: Looped) -> None:
    """On a read-only replica (or one failing to persist) BRPOP is refused too: nothing leaves the queue,
    and the error is a channel error, from which a worker reconnects (`broker_channel_error_retry`)."""
    queue = looped.connection.SimpleQueue("read-only")
    queue.put({"n": 3})
    with refusing_writes(looped.client, "read-only"):
        with pytest.raises(redis.exceptions.ReadOnlyError) as refused:
            queue.get(timeout=5)
        assert isinstance(refused.value, looped.connection.channel_errors)
        assert create_app(Settings(broker_url="redis://localhost:1/0")).conf.broker_channel_error_retry
        assert looped.client.llen("read-only") == 1
    again = queue.get(timeout=5)
    assert again.payload == {"n": 3}
    again.ack()
    looped.until_written("the ack")
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


def test_a_channel_of_a_closed_connection_raises_a_connection_error(redis_server: RedisServer) -> None:
    """Closing a channel after its transport (a reconnect after a Redis restart) asks for a client to
    restore unacked messages: a connection error, which Celery rides out, not an AttributeError, which
    made the worker exit (seen in a chaos run)."""
    app = create_app(Settings(broker_url=redis_server.url))
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        channel._pool = None
        transport_client, channel.connection.client = channel.connection.client, None
        try:
            with pytest.raises(redis.ConnectionError):
                channel._create_client()
        finally:
            channel.connection.client = transport_client
