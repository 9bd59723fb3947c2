"""What `turnout status` and the metrics read while work runs: queue depths, retry notes (the live workers:
worker/store/holds.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from worker.store import keys
from worker.store.connection import Connection
from worker.store.guard import if_batch, split
from worker.store.records import QueueDepths


class Status(Connection):
    # the broker's queues (kombu's lists, one per queue and priority step: worker/flow/priority.py) -------
    def queue_depths(self, lists: Mapping[str, Sequence[str]]) -> QueueDepths:
        """Per queue, the messages waiting in its lists; and kombu's unacknowledged ones. One round trip."""
        pipe = self.redis.pipeline(transaction=False)
        for names in lists.values():
            for name in names:
                pipe.llen(name)
        pipe.hlen(keys.KOMBU_UNACKED)
        replies = pipe.execute()
        waiting, position = {}, 0
        for queue, names in lists.items():
            waiting[queue] = int(sum(replies[position : position + len(names)]))
            position += len(names)
        return QueueDepths(waiting=waiting, unacked=int(replies[-1]))

    # retry notes (worker/retry_notes.py) -----------------------------------------------------------------
    def note_retry(self, batch_id: str, job_id: str, note: str) -> None:
        """Note (JSON: kind, where, next try) that a job waits for its next attempt; one round trip.
        The notes (job ids, error kinds, backend addresses: no text) live at most the retention after the
        last one, like the batch's other records (docs/security.md), whether or not the batch ever ends."""
        key = keys.retrying(batch_id)
        if_batch(
            self.redis, batch_id, ("HSET", key, job_id, note), ("PEXPIRE", key, self.retention.retention_ms)
        )

    def note_retries(self, batch_id: str, job_ids: list[str], note: str) -> None:
        """The same note for several jobs (a provider batch's, worker/batch/tasks.py); one HSET."""
        if job_ids:
            key = keys.retrying(batch_id)
            flat = [item for job_id in job_ids for item in (job_id, note)]
            if_batch(
                self.redis, batch_id, *split("HSET", key, flat), ("PEXPIRE", key, self.retention.retention_ms)
            )

    def clear_retry_notes(self, batch_id: str, job_ids: list[str]) -> None:
        """These jobs no longer wait out an error (a provider batch's step went through again)."""
        if job_ids:
            self.redis.hdel(keys.retrying(batch_id), *job_ids)

    def retry_notes(self, batch_id: str) -> list[str]:
        """The notes of the batch's jobs that retried and have no result yet."""
        notes = self.redis.hgetall(keys.retrying(batch_id))
        if not notes:
            return []
        ids = list(notes)
        pipe = self.redis.pipeline(transaction=False)
        for job_id in ids:
            pipe.hexists(keys.results(batch_id), job_id)
        finished = pipe.execute()
        return [notes[job_id] for job_id, done in zip(ids, finished, strict=True) if not done]
