"""The anchor of the benchmark: a no-op Celery task on the same broker settings as Turnout's app."""

from __future__ import annotations

import sys

import redis
from celery import Celery
from kombu import Queue

from worker.celery_app import create_app
from worker.settings import Settings

NOOP_TASK = "bench.noop"
NOOP_QUEUE = "bench-noop"
DONE_KEY = "bench:noop:done"


def make_app(broker_url: str) -> Celery:
    """Turnout's Celery configuration (serializer, acks_late, prefetch, events) with one no-op task, on
    kombu's own Redis transport (raw Celery)."""
    app = Celery("bench", broker=broker_url, set_as_current=False)
    turnout = create_app(Settings(broker_url=broker_url)).conf
    app.conf.update(
        {
            key: turnout[key]
            for key in (
                "task_serializer",
                "accept_content",
                "task_ignore_result",
                "task_acks_late",
                "task_reject_on_worker_lost",
                "worker_prefetch_multiplier",
                "worker_send_task_events",
                "broker_transport_options",
                "task_default_priority",
            )
        },
        task_routes={NOOP_TASK: {"queue": NOOP_QUEUE}},
        task_queues=[Queue(NOOP_QUEUE)],
        task_default_queue=NOOP_QUEUE,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
    )
    client = redis.Redis.from_url(broker_url)

    @app.task(name=NOOP_TASK, shared=False)
    def noop(_: object = None) -> None:
        client.incr(DONE_KEY)  # the only way to know it ran; one round trip, like a store write

    return app


def worker_command(broker_url: str, node: str, pool: str, concurrency: int) -> list[str]:
    code = "from tests.bench.noop_app import worker_main; worker_main()"
    return [sys.executable, "-c", code, broker_url, node, pool, str(concurrency)]


def worker_main() -> None:
    broker_url, node, pool, concurrency = sys.argv[1:5]
    make_app(broker_url).worker_main(
        argv=[
            "worker",
            "--pool",
            pool,
            "--concurrency",
            concurrency,
            "--hostname",
            node,
            "--without-gossip",
            "--without-mingle",
            "-E",
            "--loglevel",
            "WARNING",
        ]
    )
