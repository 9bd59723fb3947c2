"""Every task on a real model server, on both routes: llama.cpp's OpenAI-compatible server serves the
local route (TURNOUT_LOCAL_OPENAI_HOSTS) and plays the cloud API (OPENAI_BASE_URL).

SmolLM2-135M is weak: these tests assert structure, not quality. Answers are valid for their task or the
job failed with `invalid_output` and the rule; caps, sampling and formats are what the server was sent;
usage and cost are what it reported; nothing sensitive went to the cloud side. A recording pass-through
in front of each route (tests/real/proxy.py) is the witness of what went over the wire.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pydantic import SecretStr

from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, wait_until
from producer.submit import submit_batch
from tests.conftest import start_workers
from tests.real.configs import CAPS, CLOUD_MODEL, SEED, tier_configs
from tests.real.proxy import Exchange, RecordingProxy
from tests.real.server import LlamaServer
from worker.backends.ollama import OllamaHost
from worker.backends.probe import Problem, check_local_hosts
from worker.celery_app import create_app
from worker.errors import PermanentBackendError
from worker.extraction import validator_for
from worker.prompts import output_json_schema
from worker.runtime import Policies
from worker.schema import JobResult, JobStatus, RouteTarget, Sensitivity, TaskKind, TaskSpec, Usage
from worker.settings import Settings
from worker.store import Store

pytestmark = [pytest.mark.integration, pytest.mark.real]

LABELS = ("announcement", "faq", "complaint", "medical record")
TASKS = {
    "summarize": TaskSpec(kind=TaskKind.SUMMARIZE),
    "extract": TaskSpec(kind=TaskKind.EXTRACT, fields=("organization", "city", "date")),
    "classify": TaskSpec(kind=TaskKind.CLASSIFY, labels=LABELS),
    "custom": TaskSpec(kind=TaskKind.CUSTOM, prompt="Name the people mentioned in the document, if any."),
}
PUBLIC = {
    "bakery.txt": "Sunrise Bakery opens its second shop on Main Street in Springfield on 12 May 2026. The new "
    "shop sells bread, pastries and coffee every day from 7 am.",
    "faq.txt": 'Frequently asked questions. How do I reset my password? Click "Forgot password" on the sign-in '
    "page. Can I change my plan? Yes, at any time from the billing page.",
}
SENSITIVE = {
    "patient.txt": "Patient Maria Keller, date of birth 1984-03-02, SSN 078-05-1120, was seen at Lakeside Clinic "
    "on 3 March 2026 for a follow-up. Diagnosis: type 2 diabetes. Next visit in three months.",
    "complaint.txt": "CONFIDENTIAL. Customer complaint from Jonas Weber (jonas.weber@example.org, +49 30 "
    "1234567): the delivery to Berlin arrived two weeks late and the invoice was wrong. He asks for a "
    "refund of 120 EUR.",
}
# What would give a sensitive document away if it reached the cloud side.
SENSITIVE_MARKS = ("Maria Keller", "078-05-1120", "Lakeside", "Jonas Weber", "jonas.weber", "1234567")


@dataclass
class Run:
    task: TaskSpec
    results: list[JobResult]
    local: list[Exchange]  # every chat call the local route sent, with the server's answer
    cloud: list[Exchange]


@dataclass
class RealStack:
    settings: Settings
    store: Store
    local: RecordingProxy
    cloud: RecordingProxy
    policies: Policies

    def run(self, task: TaskSpec, documents: dict[str, str]) -> Run:
        self.local.clear()
        self.cloud.clear()
        loaded = [LoadedDocument(source=name, text=text, metadata={}) for name, text in documents.items()]
        summary = submit_batch(self.store, create_app(self.settings), loaded, task, force=True)
        wait_until(lambda: self.store.report(summary.batch_id).done, 600, f"the {task.kind} batch to finish")
        results = sorted(self.store.iter_results(summary.batch_id), key=lambda r: r.source)
        return Run(task, results, self.local.chats(), self.cloud.chats())


@pytest.fixture(scope="module")
def real(
    llama_server: LlamaServer, own_redis: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RealStack]:
    """Workers on a Redis of their own: the session's shared stack (simulators) consumes the same queue
    names on the session Redis, and must never take this tier's jobs."""
    redis_server = own_redis
    local = RecordingProxy(llama_server.url).start()
    cloud = RecordingProxy(llama_server.url).start()
    settings = Settings(
        broker_url=redis_server.url,
        config_dir=tier_configs(tmp_path_factory.mktemp("real") / "configs"),
        local_openai_hosts=(f"{local.url}/v1",),
        local_openai_parallel=1,  # llama-cpp-python's server answers one request at a time
        openai_base_url=f"{cloud.url}/v1",
        openai_api_key=SecretStr("sk-real-tier"),
        cloud_concurrency=1,
        classify_concurrency=1,
        log_format="json",
    )
    workers = start_workers(settings, tmp_path_factory.mktemp("real-workers"))
    store = Store.from_url(redis_server.url)
    try:
        yield RealStack(settings, store, local, cloud, Policies.load(settings))
    finally:
        for worker in workers:
            worker.stop()
        store.redis.close()
        local.stop()
        cloud.stop()


@pytest.fixture(scope="module")
def runs(real: RealStack) -> dict[str, Run]:
    """Every task once over the same four documents (two public, two sensitive)."""
    return {name: real.run(task, {**PUBLIC, **SENSITIVE}) for name, task in TASKS.items()}


def all_runs(runs: dict[str, Run]) -> list[tuple[str, Run]]:
    return sorted(runs.items())


# -- every job ends, on the route its sensitivity allows ------------------------------------------------


def test_every_job_ends_and_sensitive_documents_run_on_the_local_server(runs: dict[str, Run]) -> None:
    for name, run in all_runs(runs):
        assert len(run.results) == 4, name
        for result in run.results:
            assert result.status in (JobStatus.SUCCEEDED, JobStatus.FAILED), (name, result.source)
            if result.source in SENSITIVE:
                assert result.sensitivity in (Sensitivity.CONFIDENTIAL, Sensitivity.RESTRICTED)
                assert result.route is RouteTarget.LOCAL and result.fallback_from is None
                assert result.backend is not None and result.backend.startswith("local-openai:")
            else:
                assert result.route is RouteTarget.CLOUD or result.fallback_reason, (name, result.source)
            if result.status is JobStatus.FAILED:
                assert result.error is not None and result.error.message, (name, result.source)


def test_nothing_sensitive_reaches_the_cloud_side(runs: dict[str, Run]) -> None:
    sent_to_cloud = json.dumps([e.request for _, run in all_runs(runs) for e in run.cloud])
    assert sent_to_cloud != "[]"  # the cloud route was used
    for mark in SENSITIVE_MARKS:
        assert mark not in sent_to_cloud


# -- what the server was sent ---------------------------------------------------------------------------


def test_each_call_carries_the_tasks_cap_temperature_and_seed_in_words_the_server_honours(
    runs: dict[str, Run], real: RealStack
) -> None:
    for name, run in all_runs(runs):
        cloud_cap = min(CAPS[name], real.settings.cloud_max_output_tokens)
        for exchanges, cap in ((run.local, CAPS[name]), (run.cloud, cloud_cap)):
            for exchange in exchanges:
                sent = exchange.request
                # llama.cpp ignores max_completion_tokens: every call must use max_tokens.
                assert sent["max_tokens"] == cap and "max_completion_tokens" not in sent, name
                assert (sent["temperature"], sent["seed"]) == (0, SEED), name
                if exchange.answered_chat:
                    assert exchange.response["usage"]["completion_tokens"] <= cap, name


def test_structured_output_is_negotiated_once_per_host_and_remembered(runs: dict[str, Run]) -> None:
    """llama.cpp's server refuses `json_schema` (a 500); each route's worker learns it from one refusal
    and sends `json_object` with the schema from then on."""
    for route in ("local", "cloud"):
        calls: list[Exchange] = getattr(runs["extract"], route)
        kinds = [(e.request.get("response_format") or {}).get("type") for e in calls]
        assert kinds.count("json_schema") <= 1, route  # one worker thread per route: one refusal at most
        refused = [e for e, kind in zip(calls, kinds, strict=True) if kind == "json_schema"]
        assert all(e.status == 500 for e in refused), route
        assert kinds[-1] == "json_object" and calls[-1].request["response_format"]["schema"], route


# -- answers checked for every task ---------------------------------------------------------------------


def test_extraction_answers_validate_or_the_job_fails_with_the_rule(runs: dict[str, Run]) -> None:
    run = runs["extract"]
    schema = output_json_schema(run.task)
    assert schema is not None
    validator = validator_for(schema)
    for result in run.results:
        if result.status is JobStatus.SUCCEEDED:
            assert result.output is not None
            assert not list(validator.iter_errors(json.loads(result.output))), result.source
        else:
            assert result.error is not None and result.error.type == "invalid_output", result.source
            assert "did not validate" in result.error.message and "$" in result.error.message


def test_classification_answers_are_among_the_labels(runs: dict[str, Run]) -> None:
    for result in runs["classify"].results:
        if result.status is JobStatus.SUCCEEDED:
            assert result.output in LABELS, result.source
        else:
            assert result.error is not None and result.error.type == "invalid_output", result.source
            assert "not one of the 4 labels" in result.error.message


def test_summaries_and_custom_answers_are_text(runs: dict[str, Run]) -> None:
    for name in ("summarize", "custom"):
        for result in runs[name].results:
            assert result.status is JobStatus.SUCCEEDED and result.output and result.output.strip(), name


# -- usage and cost are the server's --------------------------------------------------------------------


def test_usage_and_cost_are_what_the_server_reported_priced(runs: dict[str, Run], real: RealStack) -> None:
    prices = real.policies.prices
    for name, run in all_runs(runs):
        answered = [(e, "smollm2") for e in run.local if e.answered_chat]
        answered += [(e, CLOUD_MODEL) for e in run.cloud if e.answered_chat]
        reported = [
            (
                Usage(
                    input_tokens=e.response["usage"]["prompt_tokens"],
                    output_tokens=e.response["usage"]["completion_tokens"],
                ),
                model,
            )
            for e, model in answered
        ]
        billed_in = sum(r.usage.input_tokens for r in run.results)
        billed_out = sum(r.usage.output_tokens for r in run.results)
        assert (billed_in, billed_out) == (
            sum(u.input_tokens for u, _ in reported),
            sum(u.output_tokens for u, _ in reported),
        ), name
        # llama-cpp-python reports no GPU time: local calls are priced by their tokens at the throughput.
        expected_pico = sum(prices.call_cost_pico(model, usage, None) for usage, model in reported)
        assert sum(r.cost_usd for r in run.results) == pytest.approx(
            expected_pico / 1e12, abs=1e-12 * len(reported)
        )
        assert all(r.cost_usd > 0 for r in run.results if r.usage.output_tokens), name


def test_a_rerun_gives_the_same_answers(real: RealStack, runs: dict[str, Run]) -> None:
    """Temperature 0 and a fixed seed: the same batch twice gives the same outputs."""
    again = real.run(TASKS["summarize"], {**PUBLIC, **SENSITIVE})
    first = {r.source: r.output for r in runs["summarize"].results}
    assert {r.source: r.output for r in again.results} == first


# -- knowing what the host is ---------------------------------------------------------------------------


def test_the_host_check_knows_the_real_server(llama_server: LlamaServer) -> None:
    served = Settings(local_openai_hosts=(f"{llama_server.url}/v1",))
    assert check_local_hosts(served, llama_server.model) == []
    (missing,) = check_local_hosts(served, "llama3.2:3b")
    assert missing.problem is Problem.MISSING_MODEL and "serves 'smollm2'" in missing.line
    as_ollama = Settings(ollama_hosts=(llama_server.url,))
    (wrong,) = check_local_hosts(as_ollama, llama_server.model)
    assert wrong.problem is Problem.WRONG_KIND
    assert f"TURNOUT_LOCAL_OPENAI_HOSTS={llama_server.url}/v1" in wrong.line


def test_listed_as_ollama_the_real_server_is_never_told_to_pull(llama_server: LlamaServer) -> None:
    """The first row of issue 15: its 404 now says what it is, not "pull the model"."""
    from worker.backends.base import CompletionRequest

    request = CompletionRequest(
        "b.1", llama_server.model, [{"role": "user", "content": "hi"}], Sensitivity.PUBLIC
    )
    host = OllamaHost(llama_server.url, 30.0)
    try:
        with pytest.raises(PermanentBackendError) as caught:
            host.call(request, slots=1)
    finally:
        host.close()
    assert caught.value.kind == "not_ollama" and "pull" not in str(caught.value)
