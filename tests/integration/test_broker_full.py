"""A worker meeting a full Redis loses no message: not the one it has just taken (worker/celery_transport.py),
nor the one it sends on (worker/tasks.py's `publish`).

A Redis at `maxmemory` with `noeviction` (as compose ships it) lets BRPOP through (a pop frees memory)
and refuses the writes that record the delivery as unacknowledged. Stock kombu then raises: the worker
reconnects (`broker_channel_error_retry`) and the message, off its queue and in no unacked set, exists
nowhere. A classify message is its job's only trace of life (no worker holds the job yet, so worker
liveness has nothing to re-issue): the job would wait forever. Real worker process, real redis-server,
shipped settings.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from kombu import Queue
from structlog.testing import capture_logs

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.local_stack import RedisServer, WorkerProcess, free_port, wait_until
from tests.conftest import stack_settings, start_workers
from worker.celery_app import create_app
from worker.flow.publish import BulkPublisher
from worker.queues import CLASSIFY_TASK, LOCAL_TASK
from worker.schema import JobMessage, TaskKind, TaskSpec
from worker.settings import Settings
from worker.store import NewJob, Store
from worker.tasks import publish

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def workers(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[RedisServer, Settings, list[WorkerProcess]]]:
    server = RedisServer().start()
    ollama, openai = OllamaSimulator().start(), OpenAISimulator().start()
    settings = stack_settings(server.url, ollama, openai)
    assert settings.visibility_timeout_s == Settings().visibility_timeout_s  # shipped: an hour
    started = start_workers(settings, Path(tmp_path_factory.mktemp("broker-full")), ("classify", "local"))
    yield server, settings, started
    for worker in started:
        worker.stop()
    ollama.stop()
    openai.stop()
    server.close()


def test_a_message_taken_while_redis_refuses_its_record_still_runs(
    workers: tuple[RedisServer, Settings, list[WorkerProcess]],
) -> None:
    server, settings, started = workers
    store = Store.from_url(server.url)
    client = redis.Redis.from_url(server.url, decode_responses=True)
    batch_id = f"b-full-{secrets.token_hex(3)}"
    job_id = f"{batch_id}.000001"
    store.create_batch(batch_id, TaskSpec(kind=TaskKind.SUMMARIZE))
    store.add_jobs(batch_id, [NewJob(job_id=job_id, source="memo.txt", text="Lunch moved to noon.")])
    store.seal_batch(batch_id, 1)
    # The job's classify message, as the producer queues it, kept aside for now.
    message = JobMessage(job_id=job_id, batch_id=batch_id, doc=Store.doc_key("Lunch moved to noon."))
    publish = client.pipeline(transaction=False)
    BulkPublisher(create_app(settings), CLASSIFY_TASK).publish(
        publish, f"classify:{job_id}", [message.model_dump(mode="json")]
    )
    (_, queue_key, envelope), *_ = (args for args, _ in publish.command_stack)
    client.lpush("aside", envelope)

    client.config_set("maxmemory", 1)  # full: every write refused from now on
    try:
        client.rename("aside", queue_key)  # not a write Redis refuses: the waiting worker takes it
        wait_until(lambda: client.llen(queue_key) == 0, 30, "the worker to take the message")
        refused = lambda: int(client.info("errorstats").get("errorstat_OOM", {}).get("count", 0))  # noqa: E731
        wait_until(lambda: refused() >= 1, 30, "Redis to refuse the delivery's record")
    finally:
        client.config_set("maxmemory", 0)
    wait_until(lambda: store.report(batch_id).done, 90, "the job taken during the refusal to finish")
    assert store.report(batch_id).succeeded == 1
    assert all(worker.alive() for worker in started)
    store.redis.close()
    client.close()


def test_a_message_sent_on_while_redis_is_full_waits_for_room_and_is_never_dropped(
    workers: tuple[RedisServer, Settings, list[WorkerProcess]],
) -> None:
    """Celery wraps a refused publish in kombu's OperationalError, which would escape a task (and Celery
    acknowledges, i.e. drops, that job): the tasks' `publish` waits the refusal out and sends it then."""
    server, settings, _ = workers
    client = redis.Redis.from_url(server.url, decode_responses=True)
    queue = Queue("full-publish-check")  # no worker consumes it
    app = create_app(settings)
    client.config_set("maxmemory", 1)
    room = threading.Timer(1.5, lambda: client.config_set("maxmemory", 0))
    room.start()
    try:
        with capture_logs() as logs:
            publish(
                lambda: app.send_task(LOCAL_TASK, args=[{}], task_id="full-1", queue=queue, priority=3),
                what="forward the job",
            )
    finally:
        room.join()
        client.config_set("maxmemory", 0)
    assert client.llen("full-publish-check:3") == 1
    assert [e["event"] for e in logs][:1] == ["store_refuses_writes"]
    client.close()


def test_a_message_sent_on_while_redis_is_down_surfaces_as_a_redis_error() -> None:
    """... and with Redis unreachable, a Redis error: the task's requeue_when_store_down puts the job
    back instead of letting an OperationalError escape."""
    app = create_app(Settings(broker_url=f"redis://127.0.0.1:{free_port()}/0"))
    with pytest.raises(redis.ConnectionError):
        publish(lambda: app.send_task(LOCAL_TASK, args=[{}], task_id="down-1"), what="forward the job")
