"""Grouping a batch's staged requests into provider batches: when to flush, and how files are split.

A flush happens when a file's worth of requests is staged, when the submission is sealed and nothing new
was staged for `flush_idle_s`, or `flush_max_wait_s` after the oldest staged request. Each group becomes
one input file, within `max_requests_per_file` and `max_bytes_per_file`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import structlog

from worker.batch.jsonl import encode, split
from worker.routing import BatchRules
from worker.store import Store
from worker.store.batch_route import BatchState

log = structlog.get_logger("turnout.batch")

MIN_TICK_S = 0.05


@dataclass
class Flushed:
    groups: list[str] = field(default_factory=list)  # new groups, each to be uploaded and polled
    next_tick_s: float | None = None  # when to look again; None: nothing is staged


def due_in_s(state: BatchState, store: Store, batch_id: str, rules: BatchRules, now: float) -> float:
    """Seconds until the staged requests should be flushed (0: now)."""
    staged = state.pending_count(batch_id)
    if staged == 0:
        return float("inf")
    if staged >= rules.max_requests_per_file:
        return 0.0
    info = state.flush_info(batch_id)
    first_at = float(info.get("first_at") or now)
    last_at = float(info.get("last_at") or now)
    waits = [first_at + rules.flush_max_wait_s - now]
    if store.manifest(batch_id).jobs_expected is not None:  # sealed: no more documents are coming
        waits.append(last_at + rules.flush_idle_s - now)
    return max(0.0, min(waits))


def flush(
    state: BatchState, store: Store, batch_id: str, rules: BatchRules, *, force: bool = False
) -> Flushed:
    """Move the staged requests into groups if they are due (or `force`). Call under the flush lock."""
    now = time.time()
    outcome = Flushed()
    wait_s = 0.0 if force else due_in_s(state, store, batch_id, rules, now)
    if wait_s == float("inf"):
        return outcome
    if wait_s > 0:
        outcome.next_tick_s = max(MIN_TICK_S, min(wait_s, rules.flush_idle_s))
        return outcome
    chunk = rules.max_requests_per_file
    while members := state.pending(batch_id, chunk):
        staged = state.staged_lines(batch_id, members)
        sizes = [len(encode(s["line"])) if s else 0 for s in staged]
        files, oversized = split(sizes, rules.max_requests_per_file, rules.max_bytes_per_file)
        # Take the groups in list order; a line too big for any file is a group of its own, which fails.
        cuts = sorted([(a, b, False) for a, b in files] + [(i, i + 1, True) for i in oversized])
        for start, end, too_big in cuts:
            calls = {
                s["line"]["custom_id"]: (s["field"], str(s["line"]["body"].get("model")))
                for s in staged[start:end]
                if s
            }
            gid = state.take_group(batch_id, members[start:end], calls, sum(sizes[start:end]))
            if gid is None:  # purged meanwhile: nothing more to group
                return outcome
            if too_big:
                state.update_group(batch_id, gid, state="oversized")
            outcome.groups.append(gid)
        log.info("batch_flushed", groups=len(cuts), requests=len(members), oversized=len(oversized))
        if len(members) < chunk:
            break
    return outcome
