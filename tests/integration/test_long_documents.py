"""Long documents end to end: chunked on the routed model's window, map-reduced, every call billed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from producer.loaders import LoadedDocument, iter_documents
from producer.local_stack import wait_until
from producer.submit import submit_batch
from tests.conftest import Stack
from tests.integration.gpu_billing import assert_billed_for_gpu_time
from tests.unit.test_loaders import pdf_bytes
from worker import pipeline
from worker.backends.base import Completion, CompletionRequest
from worker.chunking import plan_job
from worker.errors import RetryableBackendError
from worker.routing import Availability, decide
from worker.runtime import Policies, Runtime
from worker.schema import JobMessage, JobResult, Route, RouteTarget, Sensitivity, TaskKind, TaskSpec, Usage
from worker.settings import Settings
from worker.store import NewJob, Store

pytestmark = pytest.mark.integration

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)


def dossier(pages: int) -> list[str]:
    """Pages of a patient case file: personal and health data on every page, ~100 tokens each."""
    page = (
        "Case file page {n}. Patient Olivia Harrington, born 1984-03-12, phone +1 (415) 555-0132, was "
        "seen on follow-up for type 2 diabetes. Her metformin dose was reviewed and kept at 500 mg twice "
        "daily. Blood glucose readings over the last month were stable, and she reported no side effects. "
        "The care team agreed to repeat the HbA1c test in three months and to refer her to a dietitian. "
        "Next review: the clinic will call her to book a slot."
    )
    return [page.format(n=n) for n in range(1, pages + 1)]


def run_one(stack: Stack, document: LoadedDocument, task: TaskSpec = SUMMARIZE) -> JobResult:
    summary = submit_batch(stack.store, stack.app, [document], task, force=True)
    wait_until(lambda: stack.store.report(summary.batch_id).done, 120, "the long document to finish")
    (result,) = stack.store.iter_results(summary.batch_id)
    return result


@pytest.fixture
def quiet_sims(stack: Stack) -> Stack:
    """Both simulators with no calls remembered, so every call seen afterwards is this test's."""
    for sim in (stack.ollama, stack.openai):
        sim.requests.clear()
        sim.answered.clear()
    return stack


def test_a_long_sensitive_pdf_is_chunked_locally_and_every_call_is_billed(
    quiet_sims: Stack, tmp_path: Path
) -> None:
    stack = quiet_sims
    path = tmp_path / "case-file.pdf"
    path.write_bytes(pdf_bytes(dossier(80)))
    (document,) = iter_documents([str(path)])
    assert isinstance(document, LoadedDocument) and document.metadata["pages"] == 80

    result = run_one(stack, document)

    policies = Policies.load(stack.settings)
    plan = plan_job(policies.models, policies.prompts, SUMMARIZE, document.text, "llama3.2:3b")
    assert result.status == "succeeded", result.error
    assert result.sensitivity in (Sensitivity.CONFIDENTIAL, Sensitivity.RESTRICTED)
    assert result.route == RouteTarget.LOCAL and result.backend and result.backend.startswith("ollama:")
    assert result.chunks == len(plan.chunks) >= 3
    # Every chunk was one call with its part note, then one reduce call; nothing reached the cloud.
    calls = stack.ollama.answered
    assert len(calls) == result.chunks + 1
    for n, call in enumerate(calls[:-1], 1):
        assert f"part {n} of {result.chunks}" in call["messages"][0]["content"]
        assert plan.chunks[n - 1] in call["messages"][1]["content"]
    assert "Part summaries" in calls[-1]["messages"][1]["content"]
    assert stack.openai.requests == []
    # Usage is the sum of what the backend reported for every call; cost is priced from it.
    usage = Usage(
        input_tokens=sum(c["prompt_tokens"] for c in calls),
        output_tokens=sum(c["completion_tokens"] for c in calls),
    )
    assert result.usage == usage
    # Local cost is the GPU time Ollama reported for those calls (docs/tco.md).
    assert_billed_for_gpu_time(result, policies.prices, calls, stack.settings.ollama_parallel)
    assert result.baseline_cost_usd == pytest.approx(policies.prices.baseline_pico(usage) / 1e12, abs=1e-12)


def test_chunking_never_changes_the_route(quiet_sims: Stack) -> None:
    """The same long text: labelled restricted it is chunked locally; public, it goes where the policy says."""
    stack = quiet_sims
    text = "\n\n".join(
        page.replace("Olivia Harrington, born 1984-03-12, phone +1 (415) 555-0132, ", "").replace(
            "Patient ", "The site "
        )
        for page in dossier(80)
    )
    policies = Policies.load(stack.settings)
    both = Availability(local=True, cloud=True)
    for label in ("restricted", "public"):
        document = LoadedDocument(source=f"{label}.txt", text=text, metadata={"sensitivity": label})
        result = run_one(stack, document)
        tags = policies.classifier.classify(
            text, task=SUMMARIZE, source=document.source, floor=Sensitivity(label)
        )
        expected = decide(tags, policies.routing, both)
        plan = plan_job(policies.models, policies.prompts, SUMMARIZE, text, expected.model)
        assert result.status == "succeeded", result.error
        assert (result.route, result.model) == (expected.target, expected.model), label
        assert result.chunks == len(plan.chunks), label
        if label == "restricted":
            assert result.route == RouteTarget.LOCAL and result.chunks > 1
    cloud_traffic = json.dumps(stack.openai.requests)
    assert "restricted.txt" not in cloud_traffic
    assert (
        len(stack.openai.requests) <= 1
    )  # the public copy, if the policy sent it there: one call, 128k window


# ------------------------------------------------------------------------------ retries resume, not repeat


class FlakyBackend:
    """Answers like a model, but fails once at call `fail_at` (1-based), as a busy server would."""

    name = "flaky"

    def __init__(self, fail_at: int) -> None:
        self.fail_at = fail_at
        self.requests: list[CompletionRequest] = []

    def complete(self, request: CompletionRequest) -> Completion:
        self.requests.append(request)
        if len(self.requests) == self.fail_at:
            raise RetryableBackendError("server busy", kind="server_busy", status_code=503)
        n = len(self.requests)
        return Completion(
            output=f"summary {n}",
            usage=Usage(input_tokens=1000 + n, output_tokens=10 + n),
            model=request.model,
            backend="flaky:test",
            latency_ms=5.0,
        )

    def close(self) -> None:
        pass


def test_a_retried_long_job_resumes_from_its_answered_calls(store: Store, tmp_path: Path) -> None:
    settings = Settings(
        broker_url="redis://unused", config_dir=Path(__file__).resolve().parents[2] / "configs"
    )
    policies = Policies.load(settings)
    text = "\n\n".join(dossier(80))
    batch_id, job_id = f"b-resume-{tmp_path.name}", "job-1"
    store.create_batch(batch_id, SUMMARIZE)
    store.add_jobs(batch_id, [NewJob(job_id=job_id, source="case.txt", text=text)])
    store.seal_batch(batch_id, 1)
    tags = policies.classifier.classify(text, task=SUMMARIZE, source="case.txt")
    store.set_routed(batch_id, job_id, tags, Route(target=RouteTarget.LOCAL, model="llama3.2:3b"))
    backend = FlakyBackend(fail_at=3)
    rt = Runtime(settings=settings, store=store, policies=policies, backends={RouteTarget.LOCAL: backend})
    message = JobMessage(job_id=job_id, batch_id=batch_id)

    with pytest.raises(RetryableBackendError):
        pipeline.execute_job(rt, message, RouteTarget.LOCAL)  # calls 1 and 2 answered, call 3 fails
    pipeline.execute_job(rt, message, RouteTarget.LOCAL)  # the retry: starts at the failed call

    (result,) = store.iter_results(batch_id)
    plan = plan_job(policies.models, policies.prompts, SUMMARIZE, text, "llama3.2:3b")
    answered = [r for n, r in enumerate(backend.requests, 1) if n != 3]
    assert result.status == "succeeded" and result.chunks == len(plan.chunks)
    assert len(answered) == len(plan.chunks) + 1  # each chunk and the reduce answered exactly once
    assert len({json.dumps(r.messages) for r in answered}) == len(answered)
    numbers = [n for n in range(1, len(backend.requests) + 1) if n != 3]
    assert result.usage == Usage(
        input_tokens=sum(1000 + n for n in numbers), output_tokens=sum(10 + n for n in numbers)
    )
    assert result.attempts == 2
    assert not store.redis.exists(f"tn:{{{batch_id}}}:calls:{job_id}")  # checkpoints dropped once recorded


def test_a_long_job_that_fails_part_way_is_billed_for_the_calls_that_were_answered(quiet_sims: Stack) -> None:
    """The provider billed the parts it answered before the failure; the failed result says so."""
    stack = quiet_sims
    document = LoadedDocument(source="dossier.txt", text="\n\n".join(dossier(120)), metadata={})
    stack.ollama.set_config(latency_ms=300)
    try:
        summary = submit_batch(stack.store, stack.app, [document], SUMMARIZE, force=True)
        wait_until(lambda: len(stack.ollama.answered) >= 1, 60, "the first part to be answered")
        stack.ollama.set_config(error_rate=1.0, error_kind="500")  # the rest of the parts fail for good
        wait_until(lambda: stack.store.report(summary.batch_id).done, 120, "the job to fail")
    finally:
        stack.ollama.set_config(error_rate=0.0, latency_ms=0.0)
    (result,) = stack.store.iter_results(summary.batch_id)
    answered = stack.ollama.answered
    assert result.status == "failed" and answered
    assert result.usage.input_tokens == sum(a["prompt_tokens"] for a in answered)
    assert result.usage.output_tokens == sum(a["completion_tokens"] for a in answered)
    assert result.cost_usd > 0
    assert stack.store.report(summary.batch_id).cost_usd == pytest.approx(result.cost_usd, abs=1e-9)


class AnswersThenBreaks:
    """Answers one call, then the worker hits a bug before the result is written (the delivery ends)."""

    name = "breaks"

    def __init__(self) -> None:
        self.calls = 0

    def complete(self, request: CompletionRequest) -> Completion:
        self.calls += 1
        return Completion(
            output="short summary",
            usage=Usage(input_tokens=120, output_tokens=9),
            model=request.model,
            backend="breaks:test",
            latency_ms=5.0,
        )

    def close(self) -> None:
        pass


def test_an_answer_outlives_a_delivery_that_ends_without_a_result(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checkpoints are written lazily; a delivery that ends in an exception still saves its answers, so
    the retry reuses them instead of paying for the call again."""
    settings = Settings(
        broker_url="redis://unused", config_dir=Path(__file__).resolve().parents[2] / "configs"
    )
    policies = Policies.load(settings)
    text = "The team lunch moved to Thursday at noon."
    batch_id, job_id = f"b-lazy-{tmp_path.name}", "job-1"
    store.create_batch(batch_id, SUMMARIZE)
    store.add_jobs(batch_id, [NewJob(job_id=job_id, source="note.txt", text=text)])
    store.seal_batch(batch_id, 1)
    tags = policies.classifier.classify(text, task=SUMMARIZE, source="note.txt")
    store.set_routed(batch_id, job_id, tags, Route(target=RouteTarget.LOCAL, model="llama3.2:3b"))
    backend = AnswersThenBreaks()
    rt = Runtime(settings=settings, store=store, policies=policies, backends={RouteTarget.LOCAL: backend})
    message = JobMessage(job_id=job_id, batch_id=batch_id)

    def broken_record(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("a bug between the answer and the result")

    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "record_outcome", broken_record)
        with pytest.raises(RuntimeError):
            pipeline.execute_job(rt, message, RouteTarget.LOCAL)
    assert store.redis.hlen(f"tn:{{{batch_id}}}:calls:{job_id}") == 1  # the answer was saved on the way out

    pipeline.execute_job(rt, message, RouteTarget.LOCAL)  # the retry
    assert backend.calls == 1  # answered once, paid once
    (result,) = store.iter_results(batch_id)
    assert result.status == "succeeded" and result.usage == Usage(input_tokens=120, output_tokens=9)
    assert not store.redis.exists(f"tn:{{{batch_id}}}:calls:{job_id}")
