"""The Celery app Flower monitors: `celery --app ops.flower.app flower ...`.

Flower imports an app by module path, so this ops-only module builds one from the TURNOUT_* settings at
import. It only needs TURNOUT_BROKER_URL; it gives Flower the same task names, queues and routes the
workers use, so Flower's queue view and task API match them. Its transport is kombu's own (only workers
use Turnout's, worker/main.py), so Flower's broker view reads the `redis://` URL as it is.

One change fits Flower, which consumes no jobs: no share in re-delivering jobs whose worker died. Every
kombu consumer sweeps the unacked index for messages older than the visibility timeout and pushes them
back on their queue; the workers do that every few seconds. With a visibility timeout no message
reaches, Flower's sweeps find nothing, so its Redis user needs no access to the queued messages
(ops/redis/acl.py).
"""

from __future__ import annotations

from worker.celery_app import create_app
from worker.settings import load_settings

# Ten years: no unacked message is ever that old, so Flower's own sweeps never restore one.
NEVER_RESTORES_S = 10 * 365 * 24 * 3600

app = create_app(load_settings())
app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "visibility_timeout": NEVER_RESTORES_S,
}
