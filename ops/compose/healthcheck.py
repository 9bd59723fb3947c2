"""Container healthcheck for a worker: exit 0 when the Celery node of this container answers a ping.

    python -m ops.compose.healthcheck local            # pings local@<this host name>
    python -m ops.compose.healthcheck local@gpu-box-1  # pings that exact node

It reads the broker URL from the container's secret, as the worker did (ops/compose/with_secrets.py).
The compose workers are started with `--hostname <pool>@%h`; Celery expands `%h` to the host name, which
in a container is its id, so `<pool>@` plus `socket.gethostname()` names this container's worker.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Sequence

from kombu.exceptions import OperationalError

from ops.compose.with_secrets import SecretError, load_secrets
from worker.celery_app import create_app
from worker.settings import SettingsError, load_settings


def node_name(pool_or_node: str) -> str:
    return pool_or_node if "@" in pool_or_node else f"{pool_or_node}@{socket.gethostname()}"


def ping(node: str, timeout_s: float = 5.0) -> bool:
    """True when `node` answers a Celery ping within `timeout_s`."""
    app = create_app(load_settings())
    try:
        replies = app.control.ping(destination=[node], timeout=timeout_s) or []
    finally:
        app.close()
    return any(node in reply for reply in replies)


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m ops.compose.healthcheck POOL|NODE", file=sys.stderr)
        return 2
    node = node_name(argv[0])
    try:
        load_secrets()  # `docker exec` skips the image's entrypoint, which loads them for the worker
        alive = ping(node)
    except (SecretError, SettingsError, OperationalError, OSError) as exc:
        # One line, no traceback: docker keeps the last output of a failing healthcheck for `inspect`.
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    print(f"{node}: {'ok' if alive else 'no reply'}")
    return 0 if alive else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
