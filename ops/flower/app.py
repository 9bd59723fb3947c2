"""The Celery app Flower monitors: `celery --app ops.flower.app flower ...`.

Flower imports an app by module path, so this ops-only module builds one from the TURNOUT_* settings at
import. It only needs TURNOUT_BROKER_URL; it gives Flower the same task names, queues and routes the
workers use, so Flower's queue view and task API match them.
"""

from __future__ import annotations

from worker.celery_app import create_app
from worker.settings import load_settings

app = create_app(load_settings())
