"""The second line's stage: the local model's check of a cloud-bound job, between classify and the cloud.

Classify records a cloud route marked as awaiting the check (worker/second_line.py) and sends the job
here, on the local pool, so that a check (a local model call: hundreds of milliseconds to seconds) holds
a local worker and a local slot, like any local call, and never the classify process. The check itself
is worker/second_line_check.py's `screen`: a clear verdict lets the job take its cloud route, a yes or a
failed check keeps it local with the reason (fail closed). The stage is gated like the others: a message
older than its job's generation runs nothing, and a worker killed during the check leaves a held job that
the liveness sweeper re-issues here (worker/liveness.py); a job whose check was recorded already goes on.
"""

from __future__ import annotations

import structlog

from worker.errors import PermanentBackendError
from worker.pipeline import admitted, fail_if_stranded, fail_job
from worker.routing import cloud_allowed
from worker.runtime import Runtime
from worker.schema import JobMessage, RouteTarget
from worker.second_line import PENDING_REASON, check_pending
from worker.second_line_check import screen

log = structlog.get_logger("turnout.second_line")


def check_job(rt: Runtime, message: JobMessage) -> RouteTarget | None:
    """Check one cloud-bound job and record where it goes. Returns the queue it goes to next (the task
    sends it there), or None when nothing is left to do: it is terminal, stale, or failed here."""
    store = rt.store
    # The same one-trip opening as classify: the delivery counted, the job, its text; no attempt started.
    opened = store.open_classify(message.batch_id, message.job_id, message.doc)
    terminal, deliveries = opened.terminal, opened.deliveries
    if opened.job.generation > message.generation:
        terminal, deliveries = True, -1
    job = admitted(rt, message, "second_line", None if terminal else opened.job, deliveries)
    if job is None:
        return None
    if job.tags is None or job.route is None:
        fail_job(
            rt,
            message,
            PermanentBackendError("job reached the second line without a route", kind="misrouted"),
        )
        return None
    if not check_pending(job.route):  # checked already (a re-issue after the verdict was recorded)
        return job.route.target
    inputs = opened.inputs or store.classify_inputs(message.batch_id, job.doc_key)
    route = screen(rt, message, inputs.text, job.tags, job.route)
    if check_pending(route):  # the second line was turned off meanwhile: the route stands unchecked
        route = route.model_copy(update={"reasons": tuple(r for r in route.reasons if r != PENDING_REASON)})
    allowed = cloud_allowed(job.tags.sensitivity, rt.policies.routing)
    store.set_routed(message.batch_id, message.job_id, job.tags, route, cloud_allowed=allowed)
    log.info("job_checked", route=route.target.value)
    if fail_if_stranded(rt, message, route.target):
        return None
    return route.target
