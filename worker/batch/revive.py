"""Batch API chains whose next message is long overdue are restarted by the sweeper (worker/recovery.py).

A batch's flush chain and its groups' poll chains live in messages that a worker holds while it waits out
their countdown or runs their step. A worker killed meanwhile returns them only after the broker's
visibility timeout (an hour, shipped), and a restarted worker resumes them at once (`resume` in
worker/batch/tasks.py); but with the other workers running and no restart, the chain would wait that hour.
So the sweep looks at every batch with Batch API work: when its flush tick or a group's poll is overdue
by `STALLED_AFTER_S`, it sends the batch a resume tick, which runs the flush step and restarts every
overdue poll. A duplicate of a live message dies by its number (`chain_may_run`), so a chain that was
only slow (a backlog, a long download) loses nothing but a message.
"""

from __future__ import annotations

import time

from worker.store.batch_route import GROUP_DONE, BatchState

STALLED_AFTER_S = 30.0  # well past a due step on a busy pool; far short of the hour a lost message costs


def stalled(state: BatchState, now: float | None = None) -> list[tuple[str, int]]:
    """(batch, current flush tick number) of each batch whose flush or a poll is overdue."""
    now = time.time() if now is None else now
    found = []
    for batch_id in state.tracked():
        flush = state.flush_info(batch_id)
        late = flush.get("active") == "1" and float(flush.get("due") or 0) + STALLED_AFTER_S < now
        late = late or any(
            info.get("state") != GROUP_DONE and float(info.get("poll_due") or 0) + STALLED_AFTER_S < now
            for info in state.groups_info(batch_id)
        )
        if late:
            found.append((batch_id, int(flush.get("seq") or 0)))
    return found


class Reviver:
    """Sends each stalled batch a resume tick, at most once per `STALLED_AFTER_S` (the tick needs time to
    run on a busy pool before the batch can look alive again)."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}

    def due(self, state: BatchState, now: float | None = None) -> list[tuple[str, int]]:
        now = time.time() if now is None else now
        self.sent = {b: at for b, at in self.sent.items() if now - at < STALLED_AFTER_S}
        batches = [(b, seq) for b, seq in stalled(state, now) if b not in self.sent]
        self.sent.update({b: now for b, _ in batches})
        return batches
