"""`turnout worker --pool NAME`: one Celery worker consuming one pool's queue, configured from settings."""

from __future__ import annotations

from collections.abc import Sequence

from worker import metrics
from worker.celery_app import BATCH_QUEUE, POOLS, create_app
from worker.logging import configure_logging
from worker.runtime import Policies
from worker.settings import Settings


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
        # One thread per slot of every Ollama host: in-flight requests never exceed what the hosts take.
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


def run_worker(settings: Settings, pool: str, extra_args: Sequence[str] = ()) -> None:
    configure_logging(settings.log_format, settings.log_level)
    Policies.load(settings)  # a bad config file stops the worker at start, with the file and key named
    if settings.metrics_port is not None:
        # Before Celery forks its pool, so prefork children inherit multiprocess mode and the task signals.
        metrics.serve(settings, pool)
    app = create_app(settings)
    app.worker_main(argv=worker_argv(settings, pool, extra_args))
