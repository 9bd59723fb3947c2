"""Turnout's Redis transport: kombu's, with one redis client object per channel and pool."""

from __future__ import annotations

import json

import pytest
import redis

from producer.local_stack import RedisServer
from worker.celery_app import create_app
from worker.celery_transport import TRANSPORT, Channel, transport_for
from worker.settings import Settings

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
