"""The Celery app, built by a factory from settings: no app bound to a broker at import time."""

from __future__ import annotations

import threading
from collections.abc import Callable

from celery import Celery
from kombu import Queue

from worker.runtime import Runtime, build_runtime
from worker.settings import Settings

CLASSIFY_TASK = "turnout.classify"
LOCAL_TASK = "turnout.run_local"
CLOUD_TASK = "turnout.run_cloud"
POOLS = ("classify", "local", "cloud")

# All queue routing lives in this one table.
TASK_ROUTES = {
    CLASSIFY_TASK: {"queue": "classify"},
    LOCAL_TASK: {"queue": "local"},
    CLOUD_TASK: {"queue": "cloud"},
}

# With acks_late, a message unacked for longer than this is re-delivered to another worker. It must
# exceed the longest wait plus run of one job (retry countdowns included), or jobs run twice.
VISIBILITY_TIMEOUT_S = 6 * 3600


def create_app(settings: Settings) -> Celery:
    app = Celery("turnout", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        task_routes=TASK_ROUTES,
        task_queues=[Queue(name) for name in POOLS],
        task_default_queue="classify",
        task_create_missing_queues=False,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_send_task_events=True,
        task_send_sent_event=True,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT_S},
        broker_pool_limit=16,
    )
    from worker.tasks import register_tasks  # tasks need the app; the app module must not import them first

    register_tasks(app, runtime_provider(settings))
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
