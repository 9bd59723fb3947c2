"""`turnout status --verify`: every job is terminal or has exactly one live message; repair what has none.

A live message is one that will run the job: waiting in a queue (at the job's current generation), or
received by a worker that is alive (running, reserved, or waiting out a retry's countdown: the worker
holds the job, worker/liveness.py). A job with neither is re-issued (its generation bumped, its stage's
message sent again); a copy that turns up later is older than the job and is dropped by the stage.
Jobs whose request waits in a provider batch live in the Batch API's poll chains, not in a message (a
cloud-batch job between collects, its collect message lost, is repaired like any other); jobs whose
submission did not finish are `turnout submit --resume`'s. Both are counted, not repaired.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field

from celery import Celery

from worker.liveness import Liveness
from worker.store import Store

RECHECK_AFTER_S = 2.0  # a message between a queue and its worker's hold is seen on the second look
_CHUNK = 1000


@dataclass
class Verified:
    jobs: int = 0
    terminal: int = 0
    live: int = 0
    more_than_one: list[str] = field(default_factory=list)
    batch_api: int = 0
    not_enqueued: int = 0
    reissued: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"verify: {self.jobs} jobs: {self.terminal} terminal, {self.live} with a live message"
            + (f", {self.batch_api} in Batch API groups" if self.batch_api else "")
            + (
                f", {self.not_enqueued} not enqueued (finish with `turnout submit --resume`)"
                if self.not_enqueued
                else ""
            )
        ]
        if self.more_than_one:
            out.append(
                f"verify: {len(self.more_than_one)} with more than one live message (harmless: "
                f"the job runs once): {', '.join(self.more_than_one[:10])}"
            )
        if self.reissued:
            out.append(
                f"verify: re-enqueued {len(self.reissued)} jobs that had no message: "
                f"{', '.join(self.reissued[:20])}{' ...' if len(self.reissued) > 20 else ''}"
            )
        else:
            out.append("verify: no job without a message")
        return out

    def as_json(self) -> dict[str, object]:
        return {
            "jobs": self.jobs,
            "terminal": self.terminal,
            "live": self.live,
            "more_than_one": self.more_than_one,
            "batch_api": self.batch_api,
            "not_enqueued": self.not_enqueued,
            "reissued": self.reissued,
        }


def _missing(
    store: Store, liveness: Liveness, batch_id: str, tally: Verified | None
) -> dict[str, dict[str, str]]:
    """The jobs with no live message, with what re-issuing them needs; fills `tally` when given."""
    waiting = liveness.waiting_messages(taken=False) or Counter()
    missing: dict[str, dict[str, str]] = {}
    for ids in store.job_ids(batch_id, _CHUNK):
        inspected = liveness.inspect([(batch_id, job_id) for job_id in ids])
        flags = store.enqueued(batch_id, ids)
        alive = liveness.alive({f["holder"] for _, _, f, t in inspected if not t})
        at_provider = liveness.at_provider(
            [(b, j, f) for b, j, f, t in inspected if not t and not f["holder"]]
        )
        for (_, job_id, fields, terminal), flag in zip(inspected, flags, strict=True):
            if tally is not None:
                tally.jobs += 1
            if terminal:
                if tally is not None:
                    tally.terminal += 1
                continue
            if not flag and fields["status"] == "queued" and not fields["stage"]:
                if tally is not None:
                    tally.not_enqueued += 1
                continue
            if (batch_id, job_id) in at_provider:  # a provider batch holds it; its poll chain hands it on
                if tally is not None:
                    tally.batch_api += 1
                continue
            gen = int(fields["gen"] or 0)
            # A message taken by a live holder is counted once: as held (it is also in `unacked`).
            held = fields["holder"] in alive
            count = 1 if held else waiting[(batch_id, job_id, gen)]
            if count == 0:
                missing[job_id] = fields
            elif tally is not None:
                tally.live += 1
                if count > 1:
                    tally.more_than_one.append(job_id)
    return missing


def verify_batch(store: Store, app: Celery, batch_id: str) -> Verified:
    """Check the invariant over `batch_id`; re-issue each job found without a message twice in a row."""
    liveness = Liveness(store)
    tally = Verified()
    suspects = _missing(store, liveness, batch_id, tally)
    if suspects:
        time.sleep(RECHECK_AFTER_S)
        again = _missing(store, liveness, batch_id, None)
        suspects = {job_id: again[job_id] for job_id in suspects if job_id in again}
    reissuer = f"verify:{os.getpid()}"
    for job_id, fields in suspects.items():
        if liveness.reissue(app, batch_id, job_id, fields, reissuer) is None:  # it moved on meanwhile
            continue
        tally.reissued.append(job_id)
    return tally
