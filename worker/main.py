"""`turnout worker --pool NAME`: one Celery worker consuming one pool's queue, configured from settings."""

from __future__ import annotations

from collections.abc import Sequence

import structlog

from worker import metrics
from worker.backends.probe import check_local_hosts
from worker.celery_app import create_app
from worker.celery_transport import transport_for
from worker.logging import configure_logging
from worker.queues import BATCH_QUEUE, POOLS
from worker.runtime import Policies
from worker.settings import Settings

log = structlog.get_logger("turnout.worker")


def pool_arguments(settings: Settings, pool: str) -> list[str]:
    """Queue, pool type and concurrency per pool: processes for CPU work, threads for I/O-bound LLM calls."""
    if pool == "classify":
        return [
            "--queues",
            "classify",
            "--pool",
            "prefork",
            "--concurrency",
            str(settings.classify_concurrency),
        ]
    if pool == "local":
        # A thread per slot of every local host, plus spares with their next job open (Settings.local_
        # concurrency); the fleet-wide slots, not the threads, keep each host at its parallel requests.
        return ["--queues", "local", "--pool", "threads", "--concurrency", str(settings.local_concurrency)]
    if pool == "cloud":
        # The cloud pool also serves the cloud-batch route's queue: same API, same credentials and egress.
        queues = f"cloud,{BATCH_QUEUE}"
        return ["--queues", queues, "--pool", "threads", "--concurrency", str(settings.cloud_concurrency)]
    raise ValueError(f"unknown pool {pool!r}; choose one of {', '.join(POOLS)}")


def node_name_arguments(pool: str, extra_args: Sequence[str]) -> list[str]:
    """`--hostname <pool>@%h` unless the caller names the node: three pools on one host are three
    workers (Celery's default, `celery@%h`, makes them one name, and Flower shows one of them)."""
    named = any(arg in ("-n", "--hostname") or arg.startswith(("--hostname=", "-n")) for arg in extra_args)
    return [] if named else ["--hostname", f"{pool}@%h"]


def worker_argv(settings: Settings, pool: str, extra_args: Sequence[str] = ()) -> list[str]:
    """The `celery worker` arguments of one pool's worker; `extra_args` come last and win."""
    return [
        "worker",
        *pool_arguments(settings, pool),
        *node_name_arguments(pool, extra_args),
        "--loglevel",
        settings.log_level.upper(),
        "--without-gossip",
        "--without-mingle",
        "-E",
        *extra_args,
    ]


def missing_backend(settings: Settings, pool: str) -> str | None:
    """What a backend pool lacks to run any job (it would start, look ready and make every job wait)."""
    if pool == "local" and not settings.local_configured:
        return (
            "no local host is configured (TURNOUT_OLLAMA_HOSTS, OLLAMA_HOST or TURNOUT_LOCAL_OPENAI_HOSTS): "
            "local jobs will wait"
        )
    if pool == "cloud" and not settings.cloud_configured:
        return "no cloud API is configured (OPENAI_API_KEY or OPENAI_BASE_URL): cloud jobs will wait or fail"
    return None


def run_worker(settings: Settings, pool: str, extra_args: Sequence[str] = ()) -> None:
    configure_logging(settings.log_format, settings.log_level)
    policies = Policies.load(settings)  # a bad config file stops the worker at start, with the file and key
    missing = missing_backend(settings, pool)
    if missing is not None:
        log.warning("worker_without_backend", pool=pool, problem=missing)
    if pool == "local":
        # Know what each host is before sending it work: one line per host that is wrong, and why.
        for found in check_local_hosts(settings, policies.routing.models.local):
            log.warning("local_host_problem", host=found.host, problem=found.problem.value, detail=found.line)
    if settings.metrics_port is not None:
        # Before Celery forks its pool, so prefork children inherit multiprocess mode and the task signals.
        metrics.serve(settings, pool)
    app = create_app(settings)
    # The one patched part of kombu, for consumers only: a message taken while Redis is full is not lost.
    app.conf.broker_transport = transport_for(settings.broker_url)
    app.worker_main(argv=worker_argv(settings, pool, extra_args))
