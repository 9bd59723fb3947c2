"""Priorities and bulk publishing on the Redis broker, with a real Celery worker process.

The worker runs a one-task app built by `make_app` with the same priority settings Turnout uses
(`worker.flow.priority.celery_priority_config`), so the mechanism is proven before it is wired in.
"""

from __future__ import annotations

import base64
import inspect
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from celery import Celery
from kombu import Queue

from producer.local_stack import RedisServer, wait_for_workers, wait_until
from worker.flow.priority import Priority, celery_priority_config, queue_key
from worker.flow.publish import BulkPublisher

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]
TASK = "flowtest.record"
BACKLOG = 60


def make_app(broker_url: str, queue: str) -> Celery:
    """A Celery app shaped like Turnout's (JSON, acks_late, prefetch 1) with one recording task."""
    app = Celery("flowtest", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_routes={TASK: {"queue": queue}},
        task_queues=[Queue(queue)],
        task_default_queue=queue,
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        **celery_priority_config({"visibility_timeout": 3600}),
    )
    done_key = f"{queue}:done"
    client = redis.Redis.from_url(broker_url)

    @app.task(name=TASK, shared=False)
    def record(tag: str) -> None:
        time.sleep(0.01)  # a little work, so a backlog builds up behind one worker thread
        client.rpush(done_key, tag)

    return app


def worker_main() -> None:
    """Entry point of the worker subprocess (the app is built here, never at import time)."""
    app = make_app(os.environ["FLOWTEST_BROKER"], os.environ["FLOWTEST_QUEUE"])
    app.worker_main(
        argv=[
            "worker",
            "--pool",
            "threads",
            "--concurrency",
            "1",
            "--hostname",
            os.environ["FLOWTEST_NODE"],
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ]
    )


@pytest.fixture
def queue() -> str:
    return f"flowtest-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def worker(redis_server: RedisServer, queue: str, tmp_path: Path) -> Iterator[Celery]:
    node = f"flowtest-{queue}@localhost"
    env = {
        **os.environ,
        "FLOWTEST_BROKER": redis_server.url,
        "FLOWTEST_QUEUE": queue,
        "FLOWTEST_NODE": node,
    }
    log = (tmp_path / "worker.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", "from tests.integration.test_flow_priority import worker_main; worker_main()"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    app = make_app(redis_server.url, queue)
    try:
        wait_for_workers(app, [node], timeout_s=60)
        yield app
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def run_backlog_then_one(
    app: Celery, client: redis.Redis, queue: str, urgent: Priority | None
) -> tuple[int, int]:
    """Publish a bulk backlog (pipelined), then one more job once the worker is busy with it.

    Returns (bulk jobs still pending when the last one was sent, bulk jobs that finished after it)."""
    done_key = f"{queue}:done"
    publisher = BulkPublisher(app, TASK)
    pipe = client.pipeline(transaction=False)
    for i in range(BACKLOG):
        publisher.publish(pipe, f"bulk-{i}", [f"bulk-{i}"], priority=Priority.BULK)
    pipe.execute()
    wait_until(lambda: client.llen(done_key) >= 2, 30, "the worker to start on the backlog")
    pending = BACKLOG - int(client.llen(done_key))
    options = {} if urgent is None else {"priority": int(urgent)}
    app.send_task(TASK, args=["last"], **options)
    wait_until(lambda: client.llen(done_key) == BACKLOG + 1, 60, "every job to finish")
    order = client.lrange(done_key, 0, -1)
    return pending, len(order) - 1 - order.index("last")


def test_an_urgent_job_sent_after_a_bulk_backlog_overtakes_it(
    worker: Celery, client: redis.Redis, queue: str
) -> None:
    pending, finished_after = run_backlog_then_one(worker, client, queue, Priority.URGENT)
    assert pending >= BACKLOG // 2
    assert finished_after >= 0.8 * pending, f"only {finished_after} of {pending} bulk jobs were overtaken"


def test_without_a_priority_the_same_job_waits_behind_the_backlog(
    worker: Celery, client: redis.Redis, queue: str
) -> None:
    """The control: the measurement above can tell the difference (FIFO within one priority)."""
    pending, finished_after = run_backlog_then_one(worker, client, queue, urgent=Priority.BULK)
    assert pending >= BACKLOG // 2
    assert finished_after <= 2


def test_a_task_sent_without_priority_is_normal_not_urgent(
    redis_server: RedisServer, client: redis.Redis, queue: str
) -> None:
    """On Redis an unset priority would be 0, the most urgent; the default makes it NORMAL.

    Celery applies `task_default_priority` to `send_task` only for a task in a finalized app's registry
    (a worker's app, where stages forward jobs); a producer passes the batch's priority explicitly."""
    app = make_app(redis_server.url, queue)
    app.finalize()
    app.send_task(TASK, args=["plain"])
    assert client.llen(queue_key(queue, Priority.NORMAL)) == 1
    assert queue_key(queue, Priority.NORMAL) == f"{queue}:3"
    assert client.llen(queue) == 0


def _decoded(raw: str | bytes) -> dict[str, Any]:
    envelope = json.loads(raw)
    envelope["body"] = json.loads(base64.b64decode(envelope["body"]))
    envelope["properties"].pop("delivery_tag")
    return envelope


def test_bulk_publisher_writes_what_send_task_writes(
    redis_server: RedisServer, client: redis.Redis, queue: str
) -> None:
    app = make_app(redis_server.url, queue)
    message = {"v": 1, "job_id": "b1.000001", "batch_id": "b1"}
    app.send_task(TASK, args=[message], task_id="classify:b1.000001", priority=int(Priority.BULK))
    pipe = client.pipeline(transaction=False)
    BulkPublisher(app, TASK).publish(pipe, "classify:b1.000001", [message], priority=Priority.BULK)
    pipe.execute()
    key = queue_key(queue, Priority.BULK)
    published, sent = client.lrange(key, 0, -1)  # LPUSH: the newest first
    assert _decoded(published) == _decoded(sent)


def _priorities_wired() -> bool:
    from producer.submit import submit_batch
    from worker.celery_app import create_app
    from worker.settings import Settings

    options = create_app(Settings(broker_url="redis://127.0.0.1:1/0")).conf.broker_transport_options or {}
    return "priority_steps" in options and "priority" in inspect.signature(submit_batch).parameters


@pytest.mark.skipif(
    not _priorities_wired(), reason="batch priorities not wired into create_app/submit_batch yet"
)
def test_an_urgent_batch_overtakes_a_bulk_batch_end_to_end(stack) -> None:  # type: ignore[no-untyped-def]
    """Through the real pipeline: classify and local queues both let the urgent batch jump the backlog."""
    from producer.loaders import LoadedDocument
    from producer.submit import submit_batch
    from worker.schema import TaskKind, TaskSpec

    def documents(tag: str, n: int) -> list[LoadedDocument]:
        return [
            LoadedDocument(source=f"{tag}-{i}.txt", text=f"Note {tag} {i}: the lunch moved to Thursday.")
            for i in range(n)
        ]

    task = TaskSpec(kind=TaskKind.SUMMARIZE)
    stack.ollama.set_config(latency_ms=50)
    try:
        bulk = submit_batch(stack.store, stack.app, documents("bulk", BACKLOG), task, priority=Priority.BULK)  # type: ignore[call-arg]
        wait_until(lambda: stack.store.terminal_count(bulk.batch_id) >= 2, 60, "the bulk batch to start")
        pending = BACKLOG - stack.store.terminal_count(bulk.batch_id)
        urgent = submit_batch(stack.store, stack.app, documents("urgent", 1), task, priority=Priority.URGENT)  # type: ignore[call-arg]
        wait_until(lambda: stack.store.report(urgent.batch_id).done, 60, "the urgent batch")
        still_pending = BACKLOG - stack.store.terminal_count(bulk.batch_id)
        wait_until(lambda: stack.store.report(bulk.batch_id).done, 120, "the bulk batch")
    finally:
        stack.ollama.set_config(latency_ms=0)
    assert still_pending >= 0.8 * pending, f"the urgent job overtook only {still_pending} of {pending}"


def test_bulk_publisher_sends_the_task_sent_event_send_task_sends(
    redis_server: RedisServer, client: redis.Redis, queue: str
) -> None:
    """Flower learns a task's queue from its task-sent event: the pipelined path emits the same one."""
    app = make_app(redis_server.url, queue)
    app.conf.task_send_sent_event = True
    subscriber = client.pubsub()
    subscriber.psubscribe("*celeryev/task.sent")
    assert subscriber.get_message(timeout=1)["type"] == "psubscribe"
    message = {"v": 1, "job_id": "b1.000002", "batch_id": "b1"}
    app.send_task(TASK, args=[message], task_id="classify:b1.000002")
    pipe = client.pipeline(transaction=False)
    BulkPublisher(app, TASK).publish(pipe, "classify:b1.000002", [message])
    pipe.execute()
    events: list[dict[str, Any]] = []
    while len(events) < 2:
        received = subscriber.get_message(timeout=5)
        assert received is not None, "no task-sent event"
        if received["type"] == "pmessage":
            events.append(_decoded(received["data"]))
    subscriber.close()
    for event in events:
        for volatile in ("clock", "timestamp"):
            event["body"].pop(volatile)
    sent, published = events
    assert published == sent
