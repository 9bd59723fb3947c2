"""The privacy invariant in one place: which jobs never leave, and the one guard every cloud path calls.

A job tagged confidential or restricted is never sent to a closed API. The router decides that
(worker/routing.py asks `never_leaves`), and every path that can put bytes on the wire to a provider calls
`guard_cloud` first, whatever the router said (defence in depth):

- the real-time cloud backend, before each call (worker/backends/openai.py);
- the cloud-batch route, before a request is staged (worker/batch/collector.py), against the store right
  before the upload (worker/batch/poller.py), and on every line of the file it uploads
  (worker/batch/provider.py).

Configuration can keep more levels local (routing.yaml `local_only_sensitivity`); it can never let these out.
"""

from __future__ import annotations

from worker.errors import SensitiveDataBlocked
from worker.schema import Sensitivity

NEVER_TO_CLOUD = frozenset({Sensitivity.CONFIDENTIAL, Sensitivity.RESTRICTED})


def never_leaves(sensitivity: Sensitivity) -> bool:
    """Whether a job at this level must never reach a closed API, whatever the configuration says."""
    return sensitivity in NEVER_TO_CLOUD


def guard_cloud(job_id: str, sensitivity: Sensitivity, destination: str = "the cloud API") -> None:
    """Refuse, before any network I/O, to send a job that must never leave (SensitiveDataBlocked)."""
    if never_leaves(sensitivity):
        raise SensitiveDataBlocked(
            f"job {job_id} is {sensitivity.value}: refusing to send it to {destination}"
        )
