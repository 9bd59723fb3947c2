"""The store's Redis client: how it is built, its round trips, and what other components' commands ride on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from worker.schema import JobStatus
from worker.store import keys
from worker.store.lifecycle import Retention
from worker.store.lua import source

EVENTS_MAXLEN = 100_000
STORE_RETRY_CAP_S = 1.0


class Connection:
    """The client every part of the store shares, and the round trips they make on it."""

    def __init__(self, client: redis.Redis, retention: Retention | None = None):
        # decode_responses=True: every reply is str, which redis-py's stubs can't express (bytes | str).
        # The raw client: for the store's own modules, and for tests that look at Redis directly.
        self.redis: Any = client
        self.retention = retention or Retention()  # how long texts and records live (lifecycle.py)
        self._record_result = client.register_script(source("record_result"))
        self._set_routed = client.register_script(source("set_routed"))
        self._open_execution = client.register_script(source("open_execution"))
        self._record_check = client.register_script(source("second_line_record"))

    @classmethod
    def from_url(cls, url: str, outage_tolerance_s: float = 60.0, retention: Retention | None = None) -> Self:
        """A client that rides out a Redis restart: each command is retried with backoff for about
        `outage_tolerance_s` (connection lost, or the server still loading its append-only file)."""
        retries = max(1, int(outage_tolerance_s / STORE_RETRY_CAP_S))
        return cls(
            redis.Redis.from_url(
                url,
                decode_responses=True,
                health_check_interval=10,
                socket_connect_timeout=5,
                socket_keepalive=True,
                retry=Retry(ExponentialBackoff(cap=STORE_RETRY_CAP_S, base=0.05), retries),
                retry_on_error=[redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError],
            ),
            retention,
        )

    @classmethod
    def for_watching(cls, url: str, timeout_s: float) -> Self:
        """A store for a reader or writer that must never stall (a metrics scrape, a worker's event loop):
        redis-py's default retries with `timeout_s` per try, where `from_url`'s ride out a Redis restart
        for a minute."""
        return cls(
            redis.Redis.from_url(
                url, decode_responses=True, socket_timeout=timeout_s, socket_connect_timeout=timeout_s
            )
        )

    def ping(self) -> None:
        self.redis.ping()

    def close(self) -> None:
        self.redis.close()

    def memory_limit(self) -> str | None:
        """'maxmemory 20.00M, policy noeviction'; None when it cannot be read (INFO may be denied)."""
        try:
            memory: dict[str, object] = self.redis.info("memory")  # a read: answered even when full
            return f"maxmemory {memory['maxmemory_human']}, policy {memory['maxmemory_policy']}"
        except (redis.RedisError, KeyError):
            return None

    def one_trip(self, writes: Callable[[Any], None], *, transaction: bool = False) -> list[Any]:
        """Run the commands `writes` puts on a pipeline in one round trip (`transaction`: in one MULTI,
        all or none); their replies. For writes of other parts that must travel with the store's own (a
        Celery message published next to the mark that says it was sent: the broker is this Redis)."""
        pipe = self.redis.pipeline(transaction=transaction)
        writes(pipe)
        return list(pipe.execute())

    def _event(self, pipe: Any, batch_id: str, job_id: str, status: JobStatus, **fields: str) -> None:
        pipe.xadd(
            keys.events(batch_id),
            {"job_id": job_id, "status": status.value, **fields},
            maxlen=EVENTS_MAXLEN,
            approximate=True,
        )

    @staticmethod
    def _event_command(batch_id: str, job_id: str, status: JobStatus, **fields: str) -> tuple[str, ...]:
        """`_event` as a command for `guard.if_batch`."""
        entry = [
            item for pair in {"job_id": job_id, "status": status.value, **fields}.items() for item in pair
        ]
        return ("XADD", keys.events(batch_id), "MAXLEN", "~", str(EVENTS_MAXLEN), "*", *entry)

    def _pipelined(self, queue: Callable[[Any], None], *scripts: str) -> list[Any]:
        """The commands `queue` puts on a pipeline, run in one round trip; their replies.

        Scripts go in as EVALSHA: a redis-py Script object in a pipeline costs an extra SCRIPT EXISTS
        round trip. When Redis has lost its script cache (a restart), only the commands it refused run
        again, once the scripts are loaded: the others have run, and must not run twice (a delivery or
        an attempt would be counted twice).
        """
        pipe = self.redis.pipeline(transaction=False)
        queue(pipe)
        sent = list(pipe.command_stack)
        replies = list(pipe.execute(raise_on_error=False))
        refused = [i for i, reply in enumerate(replies) if isinstance(reply, redis.exceptions.NoScriptError)]
        if refused:
            for script in scripts:
                self.redis.script_load(script)
            again = self.redis.pipeline(transaction=False)
            for i in refused:
                args, options = sent[i]
                again.execute_command(*args, **options)
            for i, reply in zip(refused, again.execute(raise_on_error=False), strict=True):
                replies[i] = reply
        failed = next((reply for reply in replies if isinstance(reply, Exception)), None)
        if failed is not None:
            raise failed
        return replies
