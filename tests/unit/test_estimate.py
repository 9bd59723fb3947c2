"""`turnout estimate`: classify, route, plan and price every document without sending anything."""

from __future__ import annotations

import dataclasses

import pytest

from producer.estimate import estimate_batch, render_text
from producer.loaders import LoadedDocument, Rejection
from tests.conftest import REPO_ROOT
from worker.chunking import plan_job
from worker.runtime import Policies
from worker.schema import RouteTarget, Sensitivity, TaskKind, TaskSpec, Usage
from worker.second_line import messages
from worker.settings import Settings
from worker.tokens import counter_for

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)
SENSITIVE = "Please call Olivia Harrington back on +1 (415) 555-0132 about her refund, thanks."
SIMPLE = "The team lunch moved to Thursday at noon. Bring ideas for the spring offsite."


@pytest.fixture(scope="module")
def policies() -> Policies:
    return Policies.load(Settings(config_dir=REPO_ROOT / "configs"))


def doc(source: str, text: str, **metadata: str | int) -> LoadedDocument:
    return LoadedDocument(source=source, text=text, metadata=dict(metadata))


def long_report(paragraphs: int = 150) -> str:
    paragraph = (
        "Section {n} reviews the northern region. Revenue grew by twelve percent while costs rose by "
        "eight. The board asked for a plan to cut logistics spend by the end of the year."
    )
    return "\n\n".join(paragraph.format(n=i) for i in range(1, paragraphs + 1))


def test_every_input_is_counted_and_rejections_are_listed(policies: Policies) -> None:
    items = [doc("a.txt", SENSITIVE), doc("b.txt", SIMPLE), Rejection("c.pdf", "no extractable text")]
    estimate = estimate_batch(policies, items, SUMMARIZE)
    data = estimate.as_json()
    assert data["jobs"] == 3
    assert data["rejected"] == [{"source": "c.pdf", "reason": "no extractable text"}]
    assert sum(r["jobs"] for r in data["by_route"].values()) == 2
    assert {"jobs", "by_route", "cost_usd", "baseline_cost_usd", "savings_usd", "rejected"} <= data.keys()


def test_sensitive_documents_are_estimated_on_the_local_route_with_the_reason_counted(
    policies: Policies,
) -> None:
    estimate = estimate_batch(policies, [doc("a.txt", SENSITIVE), doc("b.txt", SENSITIVE + " ")], SUMMARIZE)
    assert estimate.by_route[RouteTarget.LOCAL].jobs == 2 and estimate.by_route[RouteTarget.CLOUD].jobs == 0
    reasons = estimate.as_json()["route_reasons"]
    assert sum(count for reason, count in reasons.items() if "never leaves" in reason) == 2
    assert estimate.findings["phone_number"] == 2


def test_cost_is_the_counted_prompt_and_assumed_answer_priced_like_a_real_job(policies: Policies) -> None:
    estimate = estimate_batch(policies, [doc("b.txt", SIMPLE)], SUMMARIZE)
    local = estimate.by_route[RouteTarget.LOCAL]
    model = policies.routing.models.local
    counter = counter_for(policies.models.info(model).tokenizer)
    expected = Usage(
        input_tokens=counter.count_messages(policies.prompts.messages(SUMMARIZE, SIMPLE)),
        output_tokens=policies.models.estimate.output_tokens[TaskKind.SUMMARIZE],
    )
    assert (local.jobs, local.calls, local.chunks) == (1, 1, 1)
    assert (local.input_tokens, local.output_tokens) == (expected.input_tokens, expected.output_tokens)
    assert local.cost_pico == policies.prices.cost_pico(model, expected)
    assert estimate.baseline_pico == policies.prices.baseline_pico(expected)
    data = estimate.as_json()
    assert data["savings_usd"] == pytest.approx(data["baseline_cost_usd"] - data["cost_usd"], abs=1e-12)
    assert data["baseline_cost_usd"] > data["cost_usd"] > 0


def test_a_long_document_is_estimated_as_its_chunked_calls(policies: Policies) -> None:
    text = long_report()
    estimate = estimate_batch(policies, [doc("long.txt", text)], SUMMARIZE, floor=Sensitivity.CONFIDENTIAL)
    local = estimate.by_route[RouteTarget.LOCAL]
    plan = plan_job(policies.models, policies.prompts, SUMMARIZE, text, policies.routing.models.local)
    assert local.chunks == len(plan.chunks) > 1
    assert local.calls == len(plan.chunks) + 1  # one map call per chunk, one reduce call
    assert local.input_tokens > sum(plan.chunk_tokens)
    assert local.output_tokens == local.calls * 120


def test_a_long_document_to_classify_is_estimated_as_its_vote(policies: Policies) -> None:
    task = TaskSpec(kind=TaskKind.CLASSIFY, labels=("finance", "other"))
    estimate = estimate_batch(
        policies, [doc("long.txt", long_report(300))], task, floor=Sensitivity.RESTRICTED
    )
    local = estimate.by_route[RouteTarget.LOCAL]
    assert local.chunks > 3 and local.calls == 3


def test_token_counts_say_whether_they_are_exact_or_estimated(policies: Policies) -> None:
    data = estimate_batch(policies, [doc("b.txt", SIMPLE)], SUMMARIZE).as_json()
    methods = data["token_count_method"]
    assert methods["input"]["local"] == {
        "model": "llama3.2:3b",
        "tokenizer": "llama3",
        "method": "estimate:cl100k_base",
    }
    assert methods["input"]["cloud"]["tokenizer"] == "o200k_base"
    assert methods["output"] == {"method": "assumed", "tokens_per_call": 120}


def test_the_summary_shows_routes_baseline_reasons_and_rejections(policies: Policies) -> None:
    items = [doc("a.txt", SENSITIVE), Rejection("c.pdf", "encrypted PDF (needs a password)")]
    text = "\n".join(render_text(estimate_batch(policies, items, SUMMARIZE)))
    assert "nothing was sent anywhere" in text
    assert "all-cloud baseline (gpt-4o-mini)" in text and "savings" in text
    assert "never leaves" in text and "ESTIMATE" in text and "ASSUMED 120" in text
    assert "c.pdf: encrypted PDF (needs a password)" in text
    assert "Olivia" not in text and "555-0132" not in text


CLOUD_BOUND = long_report()  # complex under the shipped policy: routed to the cloud


def test_each_cloud_bound_document_adds_the_second_lines_local_check_on_its_own_line(
    policies: Policies,
) -> None:
    estimate = estimate_batch(policies, [doc("a.md", CLOUD_BOUND), doc("b.txt", SENSITIVE)], SUMMARIZE)
    assert estimate.by_route[RouteTarget.CLOUD].jobs == 1 and estimate.by_route[RouteTarget.LOCAL].jobs == 1
    check = estimate.second_line
    assert check is not None and (check.jobs, check.calls) == (1, 1)  # the cloud-bound one only
    config = policies.routing.second_line
    model = config.model or policies.routing.models.local
    counter = counter_for(policies.models.info(model).tokenizer)
    expected = Usage(
        input_tokens=counter.count_messages(messages(CLOUD_BOUND, config)),
        output_tokens=config.max_output_tokens,
    )
    assert (check.input_tokens, check.output_tokens) == (expected.input_tokens, expected.output_tokens)
    assert check.cost_pico == policies.prices.cost_pico(model, expected) > 0  # priced like a local call
    routes = sum(r.cost_pico for r in estimate.by_route.values())
    assert estimate.cost_pico == routes + check.cost_pico
    assert estimate.as_json()["second_line"]["calls"] == 1
    text = "\n".join(render_text(estimate))
    assert f"check  {model}" in text and "second line" in text


def test_with_the_second_line_off_the_estimate_has_no_check(policies: Policies) -> None:
    off = policies.routing.model_copy(
        update={"second_line": policies.routing.second_line.model_copy(update={"enabled": False})}
    )
    estimate = estimate_batch(
        dataclasses.replace(policies, routing=off), [doc("a.md", CLOUD_BOUND)], SUMMARIZE
    )
    assert estimate.second_line is None and estimate.as_json()["second_line"] is None
    assert "check " not in "\n".join(render_text(estimate))
