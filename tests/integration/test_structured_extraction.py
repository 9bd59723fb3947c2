"""--schema extraction end to end: answers validate, invalid ones are repaired or fail with the reason."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator

import openai
import pytest

from ops.simulators import OpenAISimulator
from producer.loaders import LoadedDocument
from producer.local_stack import wait_until
from producer.submit import submit_batch
from tests.conftest import REPO_ROOT, Stack
from tests.integration.gpu_billing import assert_billed_for_gpu_time
from tests.integration.test_pipeline import complex_document
from worker.extraction import validator_for
from worker.runtime import Policies
from worker.schema import JobResult, RouteTarget, TaskKind, TaskSpec, Usage

pytestmark = pytest.mark.integration

SCHEMA = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string"},
        "total": {"type": "number"},
        "email": {"type": ["string", "null"]},
    },
    "required": ["invoice_number", "total", "email"],
    "additionalProperties": False,
}
TASK = TaskSpec(
    kind=TaskKind.EXTRACT,
    fields=tuple(SCHEMA["properties"]),
    output_schema=json.dumps(SCHEMA, sort_keys=True),
)
INVOICE = (
    "Invoice number: INV-2291\nTotal: 1,240.50 EUR\nBilling contact: olivia.harrington@contoso-mail.com\n"
    "Payment is due within 30 days of the invoice date."
)


@pytest.fixture
def fresh(stack: Stack) -> Iterator[Stack]:
    """Simulators with no remembered calls and no pending injected answers, before and after."""
    for sim in (stack.ollama, stack.openai):
        sim.set_config(invalid_answers=0)
        sim.requests.clear()
        sim.answered.clear()
    yield stack
    for sim in (stack.ollama, stack.openai):
        sim.set_config(invalid_answers=0)


def run_one(stack: Stack, text: str, source: str = "invoice.txt") -> tuple[str, JobResult]:
    document = LoadedDocument(source=source, text=text, metadata={})
    summary = submit_batch(stack.store, stack.app, [document], TASK, force=True)
    wait_until(lambda: stack.store.report(summary.batch_id).done, 60, "the extraction to finish")
    (result,) = stack.store.iter_results(summary.batch_id)
    return summary.batch_id, result


def billed(stack: Stack, model: str, calls: list[dict[str, object]]) -> tuple[Usage, float]:
    usage = Usage(
        input_tokens=sum(int(c["prompt_tokens"]) for c in calls),  # type: ignore[call-overload]
        output_tokens=sum(int(c["completion_tokens"]) for c in calls),  # type: ignore[call-overload]
    )
    return usage, Policies.load(stack.settings).prices.cost_pico(model, usage) / 1e12


def test_answers_validate_and_the_schema_reaches_the_local_backend(fresh: Stack) -> None:
    _, result = run_one(fresh, INVOICE)
    assert result.status == "succeeded" and result.route == RouteTarget.LOCAL  # an email: it stays local
    answer = json.loads(result.output or "")
    assert list(validator_for(SCHEMA).iter_errors(answer)) == []
    assert answer["invoice_number"] == "INV-2291"
    (request,) = fresh.ollama.requests
    assert request["format"] == SCHEMA  # Ollama's structured outputs: the schema itself


def test_the_cloud_backend_is_asked_for_strict_structured_outputs(fresh: Stack) -> None:
    _, result = run_one(fresh, complex_document(), source="strategy.md")
    assert result.status == "succeeded" and result.route == RouteTarget.CLOUD
    (request,) = fresh.openai.requests
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["strict"] is True
    assert request["response_format"]["json_schema"]["schema"] == SCHEMA
    assert list(validator_for(SCHEMA).iter_errors(json.loads(result.output or ""))) == []


def test_an_invalid_answer_is_sent_back_with_the_validation_error_and_repaired(fresh: Stack) -> None:
    fresh.ollama.set_config(invalid_answers=1)
    _, result = run_one(fresh, INVOICE)
    assert result.status == "succeeded", result.error
    assert list(validator_for(SCHEMA).iter_errors(json.loads(result.output or ""))) == []
    first, repair = fresh.ollama.answered
    assert repair["messages"][: len(first["messages"])] == first["messages"]
    assert repair["messages"][-2] == {"role": "assistant", "content": "{}"}
    assert "missing required invoice_number, total, email" in repair["messages"][-1]["content"]
    usage, _ = billed(fresh, "llama3.2:3b", [first, repair])
    assert result.usage == usage  # and the cost is the GPU time those calls reported (docs/tco.md)
    assert_billed_for_gpu_time(
        result, Policies.load(fresh.settings).prices, [first, repair], fresh.settings.ollama_parallel
    )
    assert result.attempts == 1  # a repair is a call within the attempt, not a retry


def test_an_answer_still_invalid_after_two_repairs_fails_with_the_reason_and_is_billed(fresh: Stack) -> None:
    fresh.ollama.set_config(invalid_answers=3)
    batch_id, result = run_one(fresh, INVOICE)
    assert result.status == "failed" and result.output is None
    assert result.error is not None and result.error.type == "invalid_output"
    assert "after 2 repair(s)" in result.error.message and "missing required" in result.error.message
    for secret in ("INV-2291", "olivia", "1,240.50"):
        assert secret not in result.error.message
    calls = fresh.ollama.answered
    assert len(calls) == 3
    usage, _ = billed(fresh, "llama3.2:3b", calls)
    assert result.usage == usage
    assert_billed_for_gpu_time(
        result, Policies.load(fresh.settings).prices, calls, fresh.settings.ollama_parallel
    )
    report = fresh.store.report(batch_id)
    assert (report.failed, report.succeeded) == (1, 0)
    assert report.cost_usd == pytest.approx(result.cost_usd, abs=1e-12)


def test_an_invalid_cloud_answer_fails_there_and_does_not_fall_back_to_local(fresh: Stack) -> None:
    fresh.openai.set_config(invalid_answers=3)
    _, result = run_one(fresh, complex_document(), source="strategy.md")
    assert result.status == "failed" and result.error is not None
    assert result.error.type == "invalid_output" and result.route == RouteTarget.CLOUD
    assert len(fresh.openai.answered) == 3 and fresh.ollama.requests == []


def test_results_as_csv_have_one_column_per_field(fresh: Stack) -> None:
    batch_id, result = run_one(fresh, INVOICE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TURNOUT_")}
    env["TURNOUT_BROKER_URL"] = str(fresh.settings.broker_url)
    done = subprocess.run(
        [sys.executable, "-m", "producer.cli", "results", batch_id, "--format", "csv"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (row,) = list(csv.DictReader(io.StringIO(done.stdout)))
    answer = json.loads(result.output or "")
    assert row["invoice_number"] == answer["invoice_number"] == "INV-2291"
    assert float(row["total"]) == answer["total"]
    assert row["job_id"] == result.job_id and row["status"] == "succeeded" and row["chunks"] == "1"


def test_the_simulator_knob_spoils_only_json_answers_and_only_as_many_as_asked() -> None:
    with OpenAISimulator() as sim:
        client = openai.OpenAI(base_url=f"{sim.url}/v1", api_key="sk-test", max_retries=0)
        sim.set_config(invalid_answers=1)
        messages = [{"role": "user", "content": "Summarize: the lunch moved to Thursday."}]
        plain = client.chat.completions.create(model="gpt-4o-mini", messages=messages)  # type: ignore[arg-type]
        fmt = {"type": "json_schema", "json_schema": {"name": "f", "schema": SCHEMA, "strict": True}}
        spoilt, good = (
            client.chat.completions.create(
                model="gpt-4o-mini",
                messages=messages,  # type: ignore[arg-type]
                response_format=fmt,  # type: ignore[arg-type]
            )
            for _ in range(2)
        )
        assert plain.choices[0].message.content != "{}"
        assert spoilt.choices[0].message.content == "{}"
        assert set(json.loads(good.choices[0].message.content or "")) == set(SCHEMA["properties"])
        assert sim.config.invalid_answers == 0
        client.close()
