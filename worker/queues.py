"""The queues and the task names routed to them: a leaf module, so anything may import it.

The Celery app (worker/celery_app.py), the tasks, the metrics endpoint and the producer all name queues
and tasks; they take the names from here, so none of them has to import another to learn a string.
"""

from __future__ import annotations

CLASSIFY_TASK = "turnout.classify"
LOCAL_TASK = "turnout.run_local"
CLOUD_TASK = "turnout.run_cloud"
# The second line's check of a cloud-bound document (worker/second_line_stage.py): a local model call, so it
# runs on the local pool, between classify and the cloud route.
SECOND_LINE_TASK = "turnout.second_line"
POOLS = ("classify", "local", "cloud")
# The cloud-batch route (worker/batch/): its own queue, consumed by the cloud pool (see worker/main.py).
BATCH_COLLECT_TASK = "turnout.batch.collect"
BATCH_FLUSH_TASK = "turnout.batch.flush"
BATCH_POLL_TASK = "turnout.batch.poll"
BATCH_QUEUE = "cloud-batch"
QUEUES = (*POOLS, BATCH_QUEUE)

# All queue routing lives in this one table.
TASK_ROUTES = {
    CLASSIFY_TASK: {"queue": "classify"},
    LOCAL_TASK: {"queue": "local"},
    SECOND_LINE_TASK: {"queue": "local"},
    CLOUD_TASK: {"queue": "cloud"},
    BATCH_COLLECT_TASK: {"queue": BATCH_QUEUE},
    BATCH_FLUSH_TASK: {"queue": BATCH_QUEUE},
    BATCH_POLL_TASK: {"queue": BATCH_QUEUE},
}
