"""What routing needs to know about a job's batch to choose the cloud-batch route, and `--deadline`."""

from __future__ import annotations

import re

from worker.routing import BatchHints
from worker.schema import TaskSpec
from worker.store import BatchRoutingFacts

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$", re.I)
_UNIT_S = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86_400.0}


def parse_deadline(text: str) -> float:
    """`--deadline` in seconds: a number with a unit, e.g. `24h`, `2d`, `90m`, `3600s`."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"invalid deadline {text!r}: use a number and a unit (s, m, h, d), e.g. 24h")
    seconds = float(match.group(1)) * _UNIT_S[match.group(2).lower()]
    if seconds <= 0:
        raise ValueError(f"invalid deadline {text!r}: must be positive")
    return seconds


def batch_hints(facts: BatchRoutingFacts, task: TaskSpec) -> BatchHints:
    """The batch's task, `--deadline`, size (jobs submitted so far while the submission streams in) and
    calibrated score threshold (`--cloud-share`)."""
    return BatchHints(
        task=task.kind, deadline_s=facts.deadline_s, jobs=facts.jobs, cloud_min_score=facts.cloud_min_score
    )
