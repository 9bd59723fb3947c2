"""kombu's Redis transport, less two costs per message.

kombu's Redis channel builds a fresh `redis.Redis` for every `conn_or_acquire()` without a client, which
Celery's worker does for each task event it publishes (task-received, -started, -succeeded: three per
task, plus task-sent when a stage forwards a job). Building one copies redis-py's table of ~200 response
callbacks; py-spy (`--gil`) put it at ~9% of the local pool's CPU. A `redis.Redis` is thread-safe (each
command borrows a connection from the pool), so one per channel and pool serves every such call.

kombu also wraps the bookkeeping of each unacknowledged message (on delivery: ZADD to the index and
HSET of the message; on ack: ZREM and HDEL) in MULTI/EXEC. Neither pair needs to be atomic: the
visibility sweep only restores index entries older than the visibility timeout, long after both writes
of a delivery have landed, and an ack removes the index entry first, so a sweep never restores an acked
message. Plain pipelines send the same writes in the same round trip, without the transaction's extra
commands and replies (each hop pays both, twice per job).

Selected with `broker_transport` for `redis://` URLs (worker/celery_app.py); `rediss://` keeps kombu's own
transport, whose TLS defaults hang on the transport's name. Everything else is kombu's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kombu.transport import redis as kombu_redis


class QoS(kombu_redis.QoS):
    @contextmanager
    def pipe_or_acquire(self, pipe: Any = None, client: Any = None) -> Iterator[Any]:
        if pipe is not None:  # a caller's pipeline (the restore's WATCH transaction): use it as is
            yield pipe
        else:
            with self.channel.conn_or_acquire(client) as client:
                yield client.pipeline(transaction=False)


class Channel(kombu_redis.Channel):
    QoS = QoS
    _shared_client: Any = None

    def _create_client(self, asynchronous: bool = False) -> Any:
        if asynchronous:  # the BRPOP/LISTEN client keeps its own connection: never shared
            return super()._create_client(asynchronous=True)
        client = self._shared_client
        # A reconnect replaces the channel's pool: a client on the old pool must not outlive it.
        if client is None or client.connection_pool is not self.pool:
            client = self._shared_client = super()._create_client()
        return client


class Transport(kombu_redis.Transport):
    Channel = Channel


TRANSPORT = f"{__name__}:Transport"


def transport_for(broker_url: str | None) -> str | None:
    """The `broker_transport` setting for a broker URL: ours for plain `redis://`, else kombu's choice."""
    return TRANSPORT if broker_url and broker_url.startswith("redis://") else None
