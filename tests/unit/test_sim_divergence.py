"""The simulators' divergence knob: answers differ from the reference more often on complex documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import ollama
import openai
import pytest
from click.testing import CliRunner

from ops.simulators import OllamaSimulator, OpenAISimulator, SimConfig
from ops.simulators.answers import make_answer
from ops.simulators.divergence import Divergence, complexity, infer_task, parse_divergence
from producer.cli import main
from producer.compare.agreement import DEFAULT_SUMMARY_THRESHOLD, field_agreement, rouge_l_f1
from worker.classifier import Classifier
from worker.labels import match_label
from worker.prompts import PromptTemplates, load_prompt_templates, output_json_schema
from worker.schema import TaskKind, TaskSpec

REPO = Path(__file__).resolve().parents[2]
PROMPTS: PromptTemplates = load_prompt_templates(REPO / "configs" / "prompts.yaml")
CLASSIFY = TaskSpec(kind=TaskKind.CLASSIFY, labels=("bug", "billing", "feature", "other"))
EXTRACT = TaskSpec(kind=TaskKind.EXTRACT, fields=("invoice_number", "date", "total", "customer"))
SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)

SECTION = (
    "## {n}. Option {n}\n\nWhereas the northern plant has spare capacity, the southern plant is cheaper; "
    "therefore the trade-off depends on demand. Moreover, the liability differs, and consequently the risk "
    "is not the same. Notwithstanding the price, we conclude the hypothesis is doubtful, thus the inference "
    "is weak.\n\n| item | north | south |\n|---|---|---|\n| cost | {n} | 9 |\n\n"
)


def simple_doc(i: int) -> str:
    return f"Ticket {i}: the export button does nothing in Firefox. Chrome works fine."


def complex_doc(i: int, sections: int = 6) -> str:
    return f"# Plant review {i}\n\n" + "".join(SECTION.format(n=k) for k in range(sections))


def ask(task: TaskSpec, text: str, divergence: Divergence | None = None) -> str:
    """The simulator's answer as Turnout reads it (a classification's label, from its JSON)."""
    system, user = (m["content"] for m in PROMPTS.messages(task, text))
    answer = make_answer(system, user, schema=output_json_schema(task), divergence=divergence)
    return (match_label(answer, task.labels) or answer) if task.labels else answer


def diverged(task: TaskSpec, text: str, divergence: Divergence) -> bool:
    return ask(task, text, divergence) != ask(task, text)


# ------------------------------------------------------------------------------------------------ the knob


def test_the_simulator_scores_documents_exactly_as_the_classifier_does() -> None:
    classifier = Classifier()
    for task in (CLASSIFY, EXTRACT, SUMMARIZE, TaskSpec(kind=TaskKind.CUSTOM, prompt="Compare and assess.")):
        for text in (simple_doc(1), complex_doc(1)):
            system, user = (m["content"] for m in PROMPTS.messages(task, text))
            inferred = infer_task(
                f"{system}\n{user.replace(text, '')}", list(task.labels), [], output_json_schema(task)
            )
            expected = classifier.classify(text, task=task).complexity_score
            assert complexity(text, inferred) == expected


def test_more_complex_documents_diverge_more_often() -> None:
    knob = Divergence(strength=1.0, key="0:llama3.2:3b")
    simple = sum(diverged(SUMMARIZE, simple_doc(i), knob) for i in range(200))
    hard = sum(diverged(SUMMARIZE, complex_doc(i, sections=40), knob) for i in range(200))
    simple_score = Classifier().classify(simple_doc(0), task=SUMMARIZE).complexity_score
    hard_score = Classifier().classify(complex_doc(0, sections=40), task=SUMMARIZE).complexity_score
    assert simple_score < 0.35 <= 0.6 <= hard_score  # a simple and a complex bucket
    assert hard > 2 * simple
    # The rate follows strength x score (deterministic draws, so these bounds hold every run).
    assert abs(simple / 200 - simple_score) < 0.08 and abs(hard / 200 - hard_score) < 0.12


def test_divergence_is_deterministic_per_model_document_and_seed_and_grows_with_strength() -> None:
    docs = [complex_doc(i) for i in range(60)]

    def hit(strength: float, key: str) -> set[int]:
        return {i for i, d in enumerate(docs) if diverged(CLASSIFY, d, Divergence(strength, key))}

    base = hit(0.5, "0:llama3.2:3b")
    assert base == hit(0.5, "0:llama3.2:3b")
    assert base != hit(0.5, "1:llama3.2:3b") and base != hit(0.5, "0:qwen2.5:7b")
    assert base < hit(1.0, "0:llama3.2:3b")  # a stronger knob only adds documents
    assert hit(0.0, "0:llama3.2:3b") == set()
    assert len(hit(100.0, "0:llama3.2:3b")) == len(docs)


def test_a_diverged_answer_really_differs_and_stays_valid_for_its_task() -> None:
    always = Divergence(strength=100.0, key="0:m")
    for i in range(20):
        text = f"Invoice INV-{1000 + i} dated 2026-03-{10 + i % 10} for $1,2{i}0.00, customer Acme Ltd. Billing: refund."
        label = ask(CLASSIFY, text, always)
        assert label in CLASSIFY.labels and label != ask(CLASSIFY, text)
        extracted = ask(EXTRACT, text, always)
        jsonschema.validate(json.loads(extracted), output_json_schema(EXTRACT))  # no repair is triggered
        assert field_agreement(ask(EXTRACT, text), extracted, EXTRACT.fields) < 1.0
        summary = ask(SUMMARIZE, complex_doc(i), always)
        assert rouge_l_f1(ask(SUMMARIZE, complex_doc(i)), summary) < DEFAULT_SUMMARY_THRESHOLD


def test_divergence_specs_parse_and_bad_ones_are_refused() -> None:
    assert parse_divergence("llama3.2:3b=0.8, qwen2.5:7b=0.2") == {"llama3.2:3b": 0.8, "qwen2.5:7b": 0.2}
    assert parse_divergence(("a=1", "b=2")) == {"a": 1.0, "b": 2.0}
    for bad in ("llama3.2:3b", "=0.5", "m=x", "m=-1", "m=inf"):
        with pytest.raises(ValueError):
            parse_divergence(bad)
    with pytest.raises(ValueError):
        SimConfig(divergence={"m": -0.1})
    assert SimConfig().divergence == {}


# --------------------------------------------------------------------- over real sockets, official clients


def test_a_model_diverges_on_the_wire_only_when_configured(
    fresh_sims: tuple[OllamaSimulator, OpenAISimulator],
) -> None:
    local, cloud = fresh_sims
    messages: Any = PROMPTS.messages(CLASSIFY, complex_doc(3))
    chat = ollama.Client(host=local.url).chat
    gpt = openai.OpenAI(base_url=cloud.base_url, api_key="test", max_retries=0)
    reference = gpt.chat.completions.create(model="gpt-4o-mini", messages=messages).choices[0].message.content
    assert chat(model="llama3.2:3b", messages=messages).message.content == reference  # default: no divergence

    local.set_config(divergence={"llama3.2:3b": 100.0})
    assert chat(model="llama3.2:3b", messages=messages).message.content != reference
    assert chat(model="qwen2.5:7b", messages=messages).message.content == reference  # other models unaffected
    # Model names are matched as the server resolves them ("llama3.2" is "llama3.2:latest").
    local.set_config(divergence={"llama3.2": 100.0})
    assert chat(model="llama3.2:latest", messages=messages).message.content != reference


def test_divergence_is_set_through_the_control_endpoint(
    fresh_sims: tuple[OllamaSimulator, OpenAISimulator],
) -> None:
    _, cloud = fresh_sims
    shown = httpx.post(f"{cloud.url}/_sim/config", json={"divergence": {"gpt-4o": 0.5}}).json()["config"]
    assert shown["divergence"] == {"gpt-4o": 0.5} and cloud.config.divergence == {"gpt-4o": 0.5}
    refused = httpx.post(f"{cloud.url}/_sim/config", json={"divergence": {"gpt-4o": "lots"}})
    assert refused.status_code == 400 and cloud.config.divergence == {"gpt-4o": 0.5}


def test_turnout_sim_takes_divergence_and_refuses_a_bad_one(tmp_path: Path) -> None:
    refused = CliRunner().invoke(main, ["sim", "ollama", "--port", "1", "--divergence", "llama3.2:3b"])
    assert refused.exit_code == 2 and "MODEL=STRENGTH" in refused.output
    from producer.local_stack import free_port

    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "producer.cli",
            "sim",
            "ollama",
            "--port",
            str(port),
            "--divergence",
            "llama3.2:3b=0.8",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None and "listening on" in process.stdout.readline()
        shown = httpx.get(f"http://127.0.0.1:{port}/_sim/config").json()["config"]
        assert shown["divergence"] == {"llama3.2:3b": 0.8}
    finally:
        process.terminate()
        process.wait(timeout=10)
