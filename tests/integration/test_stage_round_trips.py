"""How many Redis round trips each stage of a job costs, on real Redis and the Ollama simulator.

At zero backend latency a job's cost is mostly round trips (docs/performance.md), so their number is
part of the design: classify opens the delivery and reads the text in one trip, and records the route in
another (its task then sends the job on, worker/tasks.py); the local stage opens the delivery, counts the
attempt and reads the text and answered calls in one, takes and gives back an Ollama slot around the
call, and records the result in one more. A message from an older producer (no document key) still
runs, one trip slower.
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from redis.connection import AbstractConnection

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer
from producer.submit import submit_batch
from tests.conftest import stack_settings
from worker import pipeline
from worker.celery_app import create_app
from worker.errors import RetryableBackendError
from worker.flow.slots import HostSlots
from worker.runtime import Runtime, build_runtime
from worker.schema import JobMessage, JobStatus, RouteTarget, Sensitivity, TaskKind, TaskSpec
from worker.store import Store
from worker.store.lua import source

pytestmark = pytest.mark.integration

TEXT = "Reminder: the team lunch moved to Thursday at noon; bring ideas for the offsite."


@pytest.fixture(scope="module")
def rt(own_redis: RedisServer, sims: tuple[OllamaSimulator, OpenAISimulator]) -> Iterator[Runtime]:
    runtime = build_runtime(stack_settings(own_redis.url, *sims))
    # Warm: the backend's clients, its Lua scripts loaded in this Redis, the slot renewer started.
    for message in submitted(runtime, 1):
        pipeline.classify_job(runtime, message)
        pipeline.execute_job(runtime, message, RouteTarget.LOCAL)
    yield runtime
    runtime.close()


def queued_messages(client: redis.Redis, queue: str) -> list[JobMessage]:
    """The job messages waiting on a queue (every priority list), taken off it."""
    messages = []
    for key in sorted(client.keys(f"{queue}*")):
        for raw in client.lrange(key, 0, -1):
            args = json.loads(base64.b64decode(json.loads(raw)["body"]))[0]
            messages.append(JobMessage.model_validate(args[0]))
        client.delete(key)
    return messages


def submitted(rt: Runtime, n: int, extra: str = "") -> list[JobMessage]:
    """n new documents (never seen before: a known one would reuse its result), as queued for classify,
    in submission order."""
    tag = uuid.uuid4().hex[:8]
    texts = [f"{TEXT}{extra} ({tag}-{i})" for i in range(n)]
    docs = (LoadedDocument(source=f"n{i}.txt", text=text, metadata={}) for i, text in enumerate(texts))
    submit_batch(rt.store, create_app(rt.settings), docs, TaskSpec(kind=TaskKind.SUMMARIZE))
    return sorted(queued_messages(rt.store.redis, "classify"), key=lambda m: m.job_id)


def fleet_view(rt: Runtime) -> HostSlots:
    """The Ollama slots as any process of the fleet sees them."""
    return HostSlots(
        rt.store.slot_leases(), rt.settings.ollama_hosts, rt.settings.ollama_parallel, renew=False
    )


class RoundTrips:
    """Counts what this thread sends to Redis: one per command, one per pipeline."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.count = 0
        thread = threading.get_ident()
        send = AbstractConnection.send_packed_command

        def counting(connection: AbstractConnection, *args: Any, **kwargs: Any) -> None:
            if threading.get_ident() == thread:
                self.count += 1
            send(connection, *args, **kwargs)

        monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)

    def of(self, step: Callable[[], object]) -> int:
        before = self.count
        step()
        return self.count - before


def test_a_message_names_its_document_never_its_text(rt: Runtime) -> None:
    (message,) = submitted(rt, 1)
    text = rt.store.text(rt.store.job(message.batch_id, message.job_id).doc_key)
    assert text.startswith(TEXT) and message.doc == Store.doc_key(text)
    assert "lunch" not in message.model_dump_json()


def test_each_stage_costs_its_round_trips_and_no_more(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    (message,) = submitted(rt, 1)
    rt.store.task(message.batch_id)  # read once per batch and process, then cached
    trips = RoundTrips(monkeypatch)
    routed: list[RouteTarget | None] = []
    assert trips.of(lambda: routed.append(pipeline.classify_job(rt, message))) == 2
    job = rt.store.job(message.batch_id, message.job_id)
    assert routed == [RouteTarget.LOCAL] and job.route is not None and job.route.target is RouteTarget.LOCAL

    # Open, count the attempt, read text and answered calls; take a slot; the HTTP call; give the slot
    # back; record the result.
    assert trips.of(lambda: pipeline.execute_job(rt, message, RouteTarget.LOCAL)) == 4
    assert fleet_view(rt).in_flight() == {rt.settings.ollama_hosts[0]: 0}  # the slot is back
    result = rt.store.job(message.batch_id, message.job_id)
    assert result.status is JobStatus.SUCCEEDED and result.attempts == 1


def test_a_message_without_a_document_key_still_runs(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """As an older producer queued it: the stages read the key from the job, one trip more each."""
    (queued,) = submitted(rt, 1)
    message = JobMessage(job_id=queued.job_id, batch_id=queued.batch_id)
    rt.store.task(message.batch_id)
    trips = RoundTrips(monkeypatch)
    assert trips.of(lambda: pipeline.classify_job(rt, message)) == 3
    assert trips.of(lambda: pipeline.execute_job(rt, message, RouteTarget.LOCAL)) == 5
    assert rt.store.job(message.batch_id, message.job_id).status is JobStatus.SUCCEEDED


def test_a_message_naming_another_document_runs_on_the_jobs_own(
    rt: Runtime, sims: tuple[OllamaSimulator, OpenAISimulator]
) -> None:
    """The job's record is the truth: a message whose key disagrees with it is not trusted for the text.
    (A personal document named by a public one's message would otherwise be classified as public.)"""
    (personal,) = submitted(rt, 1, extra=" Call Olivia on +44 20 7946 0958 about her claim.")
    (public,) = submitted(rt, 1)
    crossed = personal.model_copy(update={"doc": public.doc})
    assert pipeline.classify_job(rt, crossed) is RouteTarget.LOCAL
    tags = rt.store.job(personal.batch_id, personal.job_id).tags
    assert tags is not None and tags.sensitivity is not Sensitivity.PUBLIC
    ollama = sims[0]
    sent_before = len(ollama.requests)
    pipeline.execute_job(rt, crossed, RouteTarget.LOCAL)
    (request,) = ollama.requests[sent_before:]
    prompt = request["messages"][-1]["content"]
    assert "Olivia" in prompt and rt.store.text(str(public.doc)) not in prompt
    assert rt.store.job(personal.batch_id, personal.job_id).status is JobStatus.SUCCEEDED


def test_a_failed_call_gives_its_slot_back(
    rt: Runtime, sims: tuple[OllamaSimulator, OpenAISimulator]
) -> None:
    """The call fails (Ollama answers 500): the slot still goes back."""
    (message,) = submitted(rt, 1)
    pipeline.classify_job(rt, message)
    ollama = sims[0]
    ollama.set_config(error_rate=1.0, error_kind="500")
    try:
        with pytest.raises(RetryableBackendError):
            pipeline.execute_job(rt, message, RouteTarget.LOCAL)
    finally:
        ollama.set_config(error_rate=0.0)
    assert fleet_view(rt).in_flight() == {rt.settings.ollama_hosts[0]: 0}
    assert rt.store.job(message.batch_id, message.job_id).status is JobStatus.RUNNING  # to be retried


def test_after_redis_lost_some_scripts_a_job_is_counted_once(rt: Runtime) -> None:
    """A restarted Redis has only some scripts cached again (other workers reloaded theirs): only the
    commands it refused run again, so the delivery and the attempt count once and no slot is stranded."""
    (message,) = submitted(rt, 1)
    pipeline.classify_job(rt, message)
    client = rt.store.redis
    client.script_flush()
    client.script_load(source("open_execution"))  # the stage's own scripts are back; the slots' not
    client.script_load(source("record_result"))
    pipeline.execute_job(rt, message, RouteTarget.LOCAL)
    job = rt.store.job(message.batch_id, message.job_id)
    assert job.status is JobStatus.SUCCEEDED and job.attempts == 1
    assert (
        int(client.hget(f"tn:{{{message.batch_id}}}:job:{message.job_id}", "deliveries")) == 2
    )  # classify, local
    assert fleet_view(rt).in_flight() == {rt.settings.ollama_hosts[0]: 0}
    result = next(r for r in rt.store.iter_results(message.batch_id) if r.job_id == message.job_id)
    assert result.attempts == 1


def test_a_message_from_a_newer_version_still_runs(rt: Runtime) -> None:
    """One more field than this version knows: ignored, not a validation error that drops the job."""
    (message,) = submitted(rt, 1)
    newer = JobMessage.model_validate({**message.model_dump(mode="json"), "hint": "from the future"})
    assert newer == message
    pipeline.classify_job(rt, newer)
    pipeline.execute_job(rt, newer, RouteTarget.LOCAL)
    assert rt.store.job(message.batch_id, message.job_id).status is JobStatus.SUCCEEDED
