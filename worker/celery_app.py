"""The Celery app, built by a factory from settings: no app bound to a broker at import time."""

from __future__ import annotations

import threading
from collections.abc import Callable

from celery import Celery
from kombu import Exchange, Queue

from worker.batch.tasks import register_batch_tasks
from worker.celery_events import TurnoutTask
from worker.flow.priority import PRIORITY_TRANSPORT_OPTIONS, Priority
from worker.queues import QUEUES, TASK_ROUTES
from worker.recovery import install as install_recovery
from worker.runtime import Runtime, build_runtime
from worker.settings import Settings
from worker.tasks import register_tasks


def create_app(settings: Settings) -> Celery:
    # TurnoutTask: Flower's task states match the jobs' outcomes (worker/celery_events.py).
    app = Celery("turnout", broker=settings.broker_url, set_as_current=False, task_cls=TurnoutTask)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        task_routes=TASK_ROUTES,
        # Each queue its own direct exchange: a bare Queue(name) is bound to the default queue's exchange,
        # and the worker banner showed every queue as `exchange=classify(direct)`.
        task_queues=[Queue(name, Exchange(name, type="direct"), routing_key=name) for name in QUEUES],
        task_default_queue="classify",
        task_create_missing_queues=False,
        # At-least-once, made safe by idempotent completion: a job is acknowledged only after it finished,
        # and re-queued if its worker process dies. Tasks never let an exception escape except to reject
        # and re-queue (see worker/tasks.py), so Celery's ack-on-failure never drops a job.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        worker_send_task_events=True,
        task_send_sent_event=True,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # a worker outlives a Redis restart instead of exiting
        # ... and a Redis that refuses a write (full, read-only, failing to persist) anywhere in the
        # consumer: Celery reconnects instead of stopping with "Unrecoverable error". (In a worker, a
        # refused record of a delivery is kept and written later instead, worker/celery_transport.py.)
        broker_channel_error_retry=True,
        broker_transport_options={
            # An unacknowledged job is re-delivered after this; settings check it exceeds wait plus run.
            "visibility_timeout": settings.visibility_timeout_s,
            "unacked_restore_interval": min(10, max(1, settings.visibility_timeout_s // 5)),
            "unacked_restore_throttle": 1,
            # The restore sweep takes a lock; if its holder is killed mid-sweep, the lock must not block
            # every other worker's sweep for kombu's default 5 minutes.
            "unacked_mutex_expire": min(300, max(10, settings.visibility_timeout_s // 2)),
            # Detect half-dead connections (the "worker up but deaf" failure mode) and reconnect.
            "health_check_interval": 10,
            "socket_keepalive": True,
            "socket_connect_timeout": 5,
            # Batch priorities: one list per step and queue ("local", "local:3", "local:6"); 0 is urgent.
            **PRIORITY_TRANSPORT_OPTIONS,
        },
        # On Redis an unset priority is 0, the most urgent: anything sent without one is NORMAL.
        task_default_priority=int(Priority.NORMAL),
        broker_pool_limit=16,
    )
    # The transport is kombu's own, chosen by the URL (so Flower's broker view reads `redis://`); only a
    # worker swaps in worker/celery_transport.py's, which keeps a full Redis from losing a message.
    # Worker liveness: a dead worker's jobs are re-issued within seconds, and its heartbeat tells
    # `turnout status` which workers are alive and what they consume (worker/recovery.py).
    if settings.broker_url:
        install_recovery(app, settings.broker_url)
    runtime = runtime_provider(settings)
    register_tasks(app, runtime)
    register_batch_tasks(app, runtime)
    return app


def runtime_provider(settings: Settings) -> Callable[[], Runtime]:
    """A per-process lazy Runtime: built on first use in each worker process, shared by its threads."""
    lock = threading.Lock()
    holder: dict[int, Runtime] = {}

    def get() -> Runtime:
        import os

        pid = os.getpid()  # a forked pool child must not reuse its parent's sockets
        runtime = holder.get(pid)
        if runtime is None:
            with lock:
                runtime = holder.get(pid)
                if runtime is None:
                    runtime = build_runtime(settings)
                    holder.clear()
                    holder[pid] = runtime
        return runtime

    return get
