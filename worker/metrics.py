"""Prometheus metrics for the workers: jobs, tokens, dollars and latency per route, plus queue depth.

What is counted, and where:

- Job outcomes (`observe_result`) are counted by the process that records a job's terminal result, and
  only when that write was the first one, so a re-delivered job is never counted twice.
- Task runs and their wall time come from Celery's `task_prerun`/`task_postrun` signals.
- Queue depth and unacknowledged messages are read from Redis at scrape time, so they are always current.

Processes: the classify pool is prefork (its tasks run in child processes), the local and cloud pools run
threads in one process. So that one endpoint per worker sees every child, each `turnout worker` with a
metrics port runs prometheus_client in multiprocess mode: every process writes its samples to files in a
fresh directory owned by that worker (under `PROMETHEUS_MULTIPROC_DIR` if set, else the temp dir), and
the worker's main process serves their sum. Counters of a recycled child are kept, so totals never drop.

prometheus_client is imported lazily: multiprocess mode must be chosen before the first metric exists,
and `serve()` does that before anything here creates one.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import redis
import structlog

from worker.errors import ConfigError
from worker.flow.priority import PRIORITY_TRANSPORT_OPTIONS, queue_lists
from worker.pricing import PICO_PER_USD
from worker.queues import QUEUES
from worker.schema import JobResult, JobStatus, RouteTarget
from worker.store import Store

if TYPE_CHECKING:
    from wsgiref.simple_server import WSGIServer

    from prometheus_client import Counter, Histogram
    from prometheus_client.registry import CollectorRegistry

    from worker.settings import Settings

log = structlog.get_logger("turnout.metrics")

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# LLM calls take from tens of milliseconds (a cached short answer) to minutes (a long local generation).
LATENCY_BUCKETS_S = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0)
# Kombu's Redis transport keeps each queue as a list named after it, plus one list per non-zero priority
# step (worker/flow/priority.py names them); a queue's depth is their sum. In-flight messages sit in the
# `unacked` hash until acknowledged (acks_late: after the job).
_NO_ROUTE = "none"


@dataclass(frozen=True)
class _Metrics:
    jobs: Counter
    failures: Counter
    tokens: Counter
    cost_usd: Counter
    baseline_cost_usd: Counter
    latency_s: Histogram
    task_runs: Counter
    task_duration_s: Histogram


_lock = threading.Lock()
_instance: _Metrics | None = None


def _metrics() -> _Metrics:
    """The process's metrics, created on first use (after `serve()` has picked the value mode)."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = _create()
    return _instance


def _create() -> _Metrics:
    from prometheus_client import Counter, Histogram

    return _Metrics(
        jobs=Counter(
            "turnout_jobs",
            "Jobs that reached a terminal state in this worker, by route and status.",
            ["route", "status"],
        ),
        failures=Counter(
            "turnout_job_failures", "Failed jobs by route and error type.", ["route", "error_type"]
        ),
        tokens=Counter(
            "turnout_tokens",
            "Tokens the backends reported for succeeded jobs, by route and direction (input/output).",
            ["route", "direction"],
        ),
        cost_usd=Counter("turnout_cost_usd", "Cost of succeeded jobs in US dollars, by route.", ["route"]),
        baseline_cost_usd=Counter(
            "turnout_baseline_cost_usd",
            "What the same jobs would have cost on the closed API alone, in US dollars, by route.",
            ["route"],
        ),
        latency_s=Histogram(
            "turnout_job_latency_seconds",
            "Backend latency of succeeded jobs, by route.",
            ["route"],
            buckets=LATENCY_BUCKETS_S,
        ),
        task_runs=Counter(
            "turnout_task_runs",
            "Celery task executions by task name and end state (SUCCESS, RETRY, FAILURE).",
            ["task", "state"],
        ),
        task_duration_s=Histogram(
            "turnout_task_duration_seconds",
            "Wall time of one Celery task execution in the worker, by task name.",
            ["task"],
            buckets=LATENCY_BUCKETS_S,
        ),
    )


def observe_result(result: JobResult, cost_pico: int) -> None:
    """Count one job's terminal result. Call it only when the result was recorded for the first time."""
    m = _metrics()
    route = result.route.value if result.route is not None else _NO_ROUTE
    m.jobs.labels(route, result.status.value).inc()
    if result.error is not None:
        m.failures.labels(route, result.error.type).inc()
    if result.status is not JobStatus.SUCCEEDED:
        return
    m.tokens.labels(route, "input").inc(result.usage.input_tokens)
    m.tokens.labels(route, "output").inc(result.usage.output_tokens)
    m.cost_usd.labels(route).inc(cost_pico / PICO_PER_USD)
    m.baseline_cost_usd.labels(route).inc(result.baseline_cost_usd)
    m.latency_s.labels(route).observe(result.latency_ms / 1000.0)


# Celery signals --------------------------------------------------------------------------------------
_started: dict[str, float] = {}


def _on_task_prerun(task_id: str | None = None, **_: Any) -> None:
    if task_id is not None:
        _started[task_id] = time.monotonic()


def _on_task_postrun(
    task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any
) -> None:
    name = getattr(task, "name", None) or "unknown"
    m = _metrics()
    m.task_runs.labels(name, state or "UNKNOWN").inc()
    started = _started.pop(task_id, None) if task_id is not None else None
    if started is not None:
        m.task_duration_s.labels(name).observe(time.monotonic() - started)


def connect_task_signals() -> None:
    """Count task runs and their wall time in whichever process runs them (idempotent)."""
    from celery import signals

    signals.task_prerun.connect(_on_task_prerun, weak=False, dispatch_uid="turnout.metrics.prerun")
    signals.task_postrun.connect(_on_task_postrun, weak=False, dispatch_uid="turnout.metrics.postrun")


# Scrape-time collector -------------------------------------------------------------------------------
class BrokerCollector:
    """Reads queue depth from Redis when Prometheus scrapes, plus a constant info metric for the worker."""

    def __init__(
        self,
        redis_url: str,
        queues: Sequence[str],
        pool: str,
        transport_options: Mapping[str, Any] | None = None,
    ):
        # Its own client, with 2 s timeouts: a scrape must answer, not ride out a Redis restart.
        self._store = Store.for_watching(redis_url, timeout_s=2.0)
        self._lists = {queue: queue_lists(queue, transport_options or {}) for queue in queues}
        self._pool = pool

    def describe(self) -> list[Any]:
        return []  # nothing to check at registration; never touch Redis before the first scrape

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        info = GaugeMetricFamily("turnout_worker_info", "The pool this worker serves.", labels=["pool"])
        info.add_metric([self._pool], 1.0)
        yield info
        up = GaugeMetricFamily("turnout_broker_up", "1 if Redis answered during this scrape, else 0.")
        try:
            depths = self._store.queue_depths(self._lists)
        except redis.RedisError:
            up.add_metric([], 0.0)
            yield up
            return
        up.add_metric([], 1.0)
        yield up
        depth = GaugeMetricFamily(
            "turnout_queue_depth",
            "Messages waiting in each Celery queue (Redis list length), read at scrape time.",
            labels=["queue"],
        )
        for queue, waiting in depths.waiting.items():
            depth.add_metric([queue], float(waiting))
        yield depth
        yield GaugeMetricFamily(
            "turnout_broker_unacked",
            "Messages delivered to a worker and not yet acknowledged (running, or waiting for a retry).",
            value=float(depths.unacked),
        )

    def close(self) -> None:
        self._store.close()


# The server ------------------------------------------------------------------------------------------
@dataclass
class MetricsServer:
    """The running metrics endpoint of one worker."""

    server: WSGIServer
    thread: threading.Thread
    registry: CollectorRegistry
    directory: str

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(settings: Settings, pool: str) -> MetricsServer:
    """Start this worker's metrics endpoint; call once per worker process, before Celery starts its pool."""
    if settings.metrics_port is None:
        raise ValueError("serve() needs settings.metrics_port")
    directory = _enable_multiprocess_mode(pool)

    from prometheus_client import CollectorRegistry, start_http_server
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)
    if settings.broker_url:
        # The app's transport options (worker/celery_app.py) name the priority lists the same way; every
        # queue a worker consumes has its series, the cloud-batch route's too.
        registry.register(BrokerCollector(settings.broker_url, QUEUES, pool, PRIORITY_TRANSPORT_OPTIONS))
    _pre_create_series()
    connect_task_signals()
    try:
        server, thread = start_http_server(
            settings.metrics_port, addr=settings.metrics_address, registry=registry
        )
    except OSError as exc:
        raise ConfigError(
            f"cannot serve metrics on {settings.metrics_address}:{settings.metrics_port} ({exc.strerror}); "
            "give each worker on one host its own TURNOUT_METRICS_PORT"
        ) from None
    log.info("metrics_serving", address=settings.metrics_address, port=settings.metrics_port, pool=pool)
    return MetricsServer(server=server, thread=thread, registry=registry, directory=directory)


def _enable_multiprocess_mode(pool: str) -> str:
    """Point prometheus_client at a fresh directory owned by this worker; its children inherit it."""
    if _instance is not None:
        raise RuntimeError("metrics were created before serve(); multiprocess mode cannot be enabled now")
    base = os.environ.get(MULTIPROC_ENV) or None
    if base is not None:
        os.makedirs(base, exist_ok=True)
    # A fresh directory per worker start: stale files from an earlier run would inflate every counter.
    directory = tempfile.mkdtemp(prefix=f"turnout-metrics-{pool}-", dir=base)
    os.environ[MULTIPROC_ENV] = directory
    from prometheus_client import values

    values.ValueClass = values.get_value_class()  # in case prometheus_client was imported before
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:  # forked pool children inherit atexit hooks; only the owner cleans up
            shutil.rmtree(directory, ignore_errors=True)

    atexit.register(remove)
    return directory


def _pre_create_series() -> None:
    """Export zeros for the common series from the start, so rates and dashboards work before any job."""
    m = _metrics()
    for route in (RouteTarget.LOCAL.value, RouteTarget.CLOUD.value):
        for status in (JobStatus.SUCCEEDED.value, JobStatus.FAILED.value):
            m.jobs.labels(route, status)
        for direction in ("input", "output"):
            m.tokens.labels(route, direction)
        m.cost_usd.labels(route)
        m.baseline_cost_usd.labels(route)
        m.latency_s.labels(route)
