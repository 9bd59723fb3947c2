"""Waiting for a backend is not a delivery: a job that waits a long time is not dead-lettered as poison."""

from __future__ import annotations

from pathlib import Path

import pytest

from worker import pipeline
from worker.errors import NoBackendAvailable
from worker.runtime import Policies, Runtime
from worker.schema import JobMessage, JobStatus, Route, RouteTarget, TaskKind, TaskSpec
from worker.settings import REPO_CONFIG_DIR, Settings
from worker.store import NewJob, Store
from worker.tasks import retry_delay

pytestmark = pytest.mark.integration
SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)


class NoHostBackend:
    """Every host is cooling down or busy: the call never reaches one."""

    name = "ollama"
    calls = 0

    def complete(self, request):  # type: ignore[no-untyped-def]
        self.calls += 1
        raise NoBackendAvailable("no Ollama host is available", kind="no_local_host", retry_after_s=0.1)

    def close(self) -> None:
        pass


def test_waiting_for_a_backend_does_not_count_toward_the_poison_limit(store: Store, tmp_path: Path) -> None:
    settings = Settings(
        broker_url="redis://unused", config_dir=REPO_CONFIG_DIR, max_attempts=2, max_deliveries=3
    )
    policies = Policies.load(settings)
    batch_id, job_id = f"b-wait-{tmp_path.name}", "job-1"
    store.create_batch(batch_id, SUMMARIZE)
    store.add_jobs(batch_id, [NewJob(job_id=job_id, source="note.txt", text="Lunch moved to noon.")])
    store.seal_batch(batch_id, 1)
    tags = policies.classifier.classify("Lunch moved to noon.", task=SUMMARIZE, source="note.txt")
    store.set_routed(batch_id, job_id, tags, Route(target=RouteTarget.LOCAL, model="llama3.2:3b"))
    backend = NoHostBackend()
    rt = Runtime(settings=settings, store=store, policies=policies, backends={RouteTarget.LOCAL: backend})
    message = JobMessage(job_id=job_id, batch_id=batch_id)

    # Far more waits than max_deliveries: each one is a delivery that found no host and re-scheduled.
    for retries in range(4 * settings.max_deliveries):
        with pytest.raises(NoBackendAvailable) as caught:
            pipeline.execute_job(rt, message, RouteTarget.LOCAL)
        assert retry_delay(rt, message, caught.value, retries) is not None  # keeps waiting (bounded by time)

    assert backend.calls == 4 * settings.max_deliveries  # every delivery really tried, none was dead-lettered
    assert not store.has_result(batch_id, job_id)
    assert store.job(batch_id, job_id).attempts == 0  # and none counted as a failed attempt
    assert store.job(batch_id, job_id).status is not JobStatus.FAILED
