"""The whole pipeline on real parts: redis-server, three Celery worker processes, both simulators."""

from __future__ import annotations

import json

import pytest

from producer.loaders import LoadedDocument, Rejection
from producer.local_stack import wait_until
from producer.submit import submit_batch
from tests.conftest import Stack
from worker.routing import Availability, decide
from worker.runtime import Policies
from worker.schema import BatchReport, JobResult, RouteTarget, TaskKind, TaskSpec

pytestmark = pytest.mark.integration

SENSITIVE = {
    "email.txt": "Please update the billing contact to olivia.harrington@contoso-mail.com before Friday.",
    "card.txt": "Refund the duplicate charge on card 4539 1488 0343 6467 for order 88231, thanks.",
    "phone.txt": "Call the customer back on +1 (415) 555-0132 about the delayed shipment tomorrow.",
}
SIMPLE = {
    "note.txt": "The team lunch moved to Thursday at noon. Bring ideas for the spring offsite.",
    "faq.md": "# Delivery\n\nStandard delivery takes three to five working days across the EU.",
}


def complex_document() -> str:
    """Long, sectioned, table-heavy comparative analysis with no personal data: cloud-bound work."""
    section = (
        "## Region {n}\n\nCompare the three options for region {n} and evaluate the trade-offs between "
        "capital required, margin impact and service risk. Analyse how results change under a 15% "
        "volume swing, then reason about which option dominates on a risk-adjusted basis and why.\n\n"
        "| Option | Capex | Margin | Risk |\n|---|---|---|---|\n| Own | 12 | +1.5 | low |\n"
        "| Broker | 3 | +0.6 | medium |\n| Partner | 6 | +1.0 | medium |\n\n"
    )
    return "# Strategy review: comparative analysis\n\n" + "".join(section.format(n=n) for n in range(1, 12))


def documents() -> list[LoadedDocument | Rejection]:
    items: list[LoadedDocument | Rejection] = []
    for name, text in {**SENSITIVE, **SIMPLE, "strategy.md": complex_document()}.items():
        items.append(LoadedDocument(source=name, text=text, metadata={"format": "txt", "chars": len(text)}))
    items.append(Rejection(source="broken.jsonl:3", reason="malformed JSON on line 3"))
    return items


def run_to_completion(
    stack: Stack, task: TaskSpec, force: bool = True
) -> tuple[str, BatchReport, list[JobResult]]:
    summary = submit_batch(stack.store, stack.app, documents(), task, force=force)
    wait_until(lambda: stack.store.report(summary.batch_id).done, 90, f"batch {summary.batch_id} to finish")
    return (
        summary.batch_id,
        stack.store.report(summary.batch_id),
        list(stack.store.iter_results(summary.batch_id)),
    )


@pytest.fixture(scope="module")
def summarize_run(stack: Stack) -> tuple[str, BatchReport, list[JobResult]]:
    stack.openai.requests.clear()
    return run_to_completion(stack, TaskSpec(kind=TaskKind.SUMMARIZE))


def test_every_document_ends_in_exactly_one_terminal_state(summarize_run) -> None:  # type: ignore[no-untyped-def]
    batch_id, report, results = summarize_run
    sources = sorted(r.source for r in results)
    assert sources == sorted([*SENSITIVE, *SIMPLE, "strategy.md", "broken.jsonl:3"])
    assert report.jobs == len(results) == 7
    assert (report.succeeded, report.failed, report.rejected, report.pending) == (6, 0, 1, 0)
    rejected = next(r for r in results if r.source == "broken.jsonl:3")
    assert rejected.status == "rejected" and rejected.error is not None
    assert "malformed JSON" in rejected.error.message


def test_results_carry_the_contract_fields(summarize_run) -> None:  # type: ignore[no-untyped-def]
    _, _, results = summarize_run
    contract = {
        "job_id",
        "batch_id",
        "source",
        "status",
        "route",
        "backend",
        "model",
        "sensitivity",
        "complexity",
        "output",
        "error",
        "usage",
        "cost_usd",
        "baseline_cost_usd",
        "latency_ms",
        "attempts",
    }
    for result in results:
        line = json.loads(result.model_dump_json())
        assert contract <= line.keys()
        assert set(line["usage"]) == {"input_tokens", "output_tokens"}
        if result.status == "succeeded":
            assert result.output and result.backend and result.model
            assert result.usage.input_tokens > 0 and result.usage.output_tokens > 0
            assert result.cost_usd > 0 and result.baseline_cost_usd > 0
            assert result.attempts == 1


def test_sensitive_documents_stay_local_and_never_reach_the_cloud(summarize_run, stack: Stack) -> None:  # type: ignore[no-untyped-def]
    _, _, results = summarize_run
    by_source = {r.source: r for r in results}
    for name in SENSITIVE:
        result = by_source[name]
        assert result.sensitivity in ("confidential", "restricted"), name
        assert result.route == RouteTarget.LOCAL
        assert result.backend is not None and result.backend.startswith("ollama:")
    cloud_traffic = json.dumps(stack.openai.requests)
    for text in SENSITIVE.values():
        assert text not in cloud_traffic
    for needle in ("olivia.harrington@contoso-mail.com", "4539 1488 0343 6467", "555-0132"):
        assert needle not in cloud_traffic


def test_routes_follow_the_policy_and_use_both_backends(summarize_run, stack: Stack) -> None:  # type: ignore[no-untyped-def]
    _, report, results = summarize_run
    policies = Policies.load(stack.settings)
    task = TaskSpec(kind=TaskKind.SUMMARIZE)
    texts = {**SENSITIVE, **SIMPLE, "strategy.md": complex_document()}
    for result in results:
        if result.status != "succeeded":
            continue
        tags = policies.classifier.classify(texts[result.source], task=task, source=result.source)
        expected = decide(tags, policies.routing, Availability(local=True, cloud=True))
        assert (result.route, result.model) == (expected.target, expected.model), result.source
        assert result.backend is not None and result.backend.startswith(
            "ollama:" if result.route == RouteTarget.LOCAL else "openai:"
        )
    by_source = {r.source: r for r in results}
    assert by_source["strategy.md"].route == RouteTarget.CLOUD
    assert by_source["note.txt"].route == RouteTarget.LOCAL
    assert report.by_route["cloud"].jobs == 1 and len(stack.openai.answered) >= 1
    assert report.by_route["local"].jobs == 5


def test_costs_in_results_sum_to_the_report(summarize_run) -> None:  # type: ignore[no-untyped-def]
    _, report, results = summarize_run
    assert report.cost_usd == pytest.approx(sum(r.cost_usd for r in results), abs=1e-9)
    assert report.baseline_cost_usd == pytest.approx(sum(r.baseline_cost_usd for r in results), abs=1e-9)
    for route in ("local", "cloud"):
        on_route = [r for r in results if r.route == route and r.status == "succeeded"]
        totals = report.by_route[route]
        assert totals.input_tokens == sum(r.usage.input_tokens for r in on_route)
        assert totals.output_tokens == sum(r.usage.output_tokens for r in on_route)
        assert totals.cost_usd == pytest.approx(sum(r.cost_usd for r in on_route), abs=1e-9)
    assert report.savings_usd == pytest.approx(report.baseline_cost_usd - report.cost_usd, abs=1e-9)


def test_usage_is_what_the_backend_reported(summarize_run, stack: Stack) -> None:  # type: ignore[no-untyped-def]
    _, _, results = summarize_run
    texts = {**SENSITIVE, **SIMPLE, "strategy.md": complex_document()}
    answered = [*stack.ollama.answered, *stack.openai.answered]
    for result in results:
        if result.status != "succeeded":
            continue
        matching = [a for a in answered if any(texts[result.source] in m["content"] for m in a["messages"])]
        assert matching, result.source
        assert {(a["prompt_tokens"], a["completion_tokens"]) for a in matching} == {
            (result.usage.input_tokens, result.usage.output_tokens)
        }


def test_resubmitting_the_same_documents_reuses_results_without_running_or_billing(
    summarize_run, stack: Stack
) -> None:  # type: ignore[no-untyped-def]
    first_batch, _, first_results = summarize_run
    calls_before = len(stack.ollama.answered) + len(stack.openai.answered)
    batch_id, report, results = run_to_completion(stack, TaskSpec(kind=TaskKind.SUMMARIZE), force=False)
    assert len(stack.ollama.answered) + len(stack.openai.answered) == calls_before
    assert report.succeeded == 6 and report.cost_usd == 0.0
    earlier = {r.source: r for r in first_results}
    for result in results:
        if result.status == "succeeded":
            assert result.reused_from == earlier[result.source].job_id
            assert result.output == earlier[result.source].output
            assert result.batch_id == batch_id != first_batch


def test_force_runs_finished_documents_again(stack: Stack) -> None:
    docs = [LoadedDocument(source="again.txt", text=SIMPLE["note.txt"], metadata={})]
    for _ in range(2):
        batch_id = submit_batch(
            stack.store, stack.app, docs, TaskSpec(kind=TaskKind.SUMMARIZE), force=True
        ).batch_id
        wait_until(lambda b=batch_id: stack.store.report(b).done, 60, "forced batch")  # type: ignore[misc]
        (result,) = stack.store.iter_results(batch_id)
        assert result.reused_from is None and result.cost_usd > 0


def test_extract_returns_json_with_exactly_the_asked_fields(stack: Stack) -> None:
    task = TaskSpec(kind=TaskKind.EXTRACT, fields=("region", "capex"))
    _, report, results = run_to_completion(stack, task)
    assert report.succeeded == 6
    for result in results:
        if result.status == "succeeded":
            assert set(json.loads(result.output or "")) == {"region", "capex"}, result.source


def test_classify_answers_one_of_the_given_labels(stack: Stack) -> None:
    task = TaskSpec(kind=TaskKind.CLASSIFY, labels=("billing", "logistics", "strategy"))
    _, report, results = run_to_completion(stack, task)
    assert report.succeeded == 6
    assert {r.output for r in results if r.status == "succeeded"} <= {"billing", "logistics", "strategy"}
