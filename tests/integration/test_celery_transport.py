"""The seam with kombu's Redis transport: the kombu version is checked, and the Redis layout Turnout reads
(queues per priority step, the unacknowledged-message records, the message envelope) is what it ships."""

from __future__ import annotations

import json

import pytest
from kombu import Consumer, Queue

from producer.local_stack import RedisServer
from worker.celery_app import create_app
from worker.celery_transport import KombuVersionError, check_kombu, transport_for
from worker.flow.priority import Priority
from worker.liveness import UNACKED_INDEX_KEY, UNACKED_KEY, Liveness, carried_job
from worker.queues import LOCAL_TASK
from worker.settings import Settings
from worker.store import Store

pytestmark = pytest.mark.integration


def test_the_installed_kombu_is_in_the_checked_range_and_others_are_refused() -> None:
    check_kombu()  # the installed one (constraints.txt)
    for version in ("5.2.4", "6.0.0", "4.6.11"):
        with pytest.raises(KombuVersionError, match="constraints.txt"):
            check_kombu(version)


def test_every_url_uses_kombus_own_transport() -> None:
    assert transport_for("redis://localhost:6379/0") is None
    assert transport_for("rediss://:pw@cache.example:6380/0") is None


def test_a_delivered_unacknowledged_message_is_where_liveness_reads_it(redis_server: RedisServer) -> None:
    """kombu files a sent job message under its priority step's list, and once delivered and not acked,
    keeps it in `unacked` (as [envelope, exchange, routing key]) with its time in `unacked_index`."""
    app = create_app(Settings(broker_url=redis_server.url))
    store = Store.from_url(redis_server.url)
    store.redis.delete(UNACKED_KEY, UNACKED_INDEX_KEY, "local", "local:3")
    message = {"v": 1, "job_id": "b-layout.000001", "batch_id": "b-layout", "generation": 2}
    app.send_task(LOCAL_TASK, args=[message], task_id="layout-1", priority=int(Priority.NORMAL))
    assert store.redis.llen("local:3") == 1
    waiting = Liveness(store).waiting_messages(taken=False)
    assert waiting is not None and waiting[("b-layout", "b-layout.000001", 2)] == 1
    received: list[object] = []
    with app.connection_for_write() as connection:
        with Consumer(connection, [Queue("local")], callbacks=[lambda body, m: received.append(m)]):
            connection.drain_events(timeout=5)
        (tag,) = store.redis.hkeys(UNACKED_KEY)
        envelope = json.loads(store.redis.hget(UNACKED_KEY, tag))[0]
        carried = carried_job(envelope)
        assert carried is not None and carried.task_name == LOCAL_TASK and carried.generation == 2
        assert store.redis.zscore(UNACKED_INDEX_KEY, tag) is not None
        received[0].ack()  # type: ignore[attr-defined]
    assert not store.redis.hkeys(UNACKED_KEY)
    store.redis.close()
