"""`turnout compare` end to end: a subprocess against real simulators (official clients) and a real Redis."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.local_stack import RedisServer
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration

BACKEND_VARS = (
    "TURNOUT_BROKER_URL",
    "TURNOUT_OLLAMA_HOSTS",
    "OLLAMA_HOST",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
)
DEMANDING = "Compare the options, analyse the risks and recommend one."
SNIPPET = re.compile(r"routes:\n  cloud_min_score: (\d+\.\d{2,3})\n")

TICKETS = [
    "The export button on the reports page does nothing in Firefox 128. Chrome works fine.",
    "Invoice INV-2207 charged us twice for the March subscription; please refund one charge.",
    "Feature request: let us schedule the weekly digest for Monday mornings.",
    "The mobile app crashes when I rotate the screen on the settings page.",
    "Our billing address changed; where do I update it before the next invoice?",
    "Please add dark mode to the dashboard, the white background is tiring at night.",
]
SECTION = (
    "## {n}. Option {n}\n\nWhereas the northern plant has spare capacity, the southern plant is cheaper to "
    "run; therefore the trade-off depends on demand. Moreover, the liability clauses differ, and consequently "
    "the risk profile is not the same. Notwithstanding the lower price, we conclude that the hypothesis of "
    "stable demand is doubtful, thus the inference is weak.\n\n| item | north | south |\n|---|---|---|\n"
    "| cost | 12 | 9 |\n\n"
)
# Documents the shipped policy keeps off the cloud: internal by label, confidential and restricted by content.
HELD_BACK = {
    "internal": "HELDBACK-INTERNAL roadmap: the Q3 pricing change ships to EU customers first.",
    "confidential": "HELDBACK-CONFIDENTIAL Customer Olivia Harrington (olivia.harrington@contoso-mail.com, "
    "+1 415 555 0132) asks for a refund of her order.",
    "restricted": "HELDBACK-RESTRICTED Payroll correction for employee SSN 536-22-8745: the bonus was paid twice.",
}
# Pieces of the held-back documents that no other document contains.
HELD_BACK_FRAGMENTS = (
    "HELDBACK",
    "Q3 pricing change",
    "olivia.harrington",
    "Harrington",
    "536-22-8745",
    "bonus was paid",
)


def message_texts(requests: list[dict[str, Any]]) -> list[str]:
    """Every message content a simulator received, as sent (chat messages, or a prompt)."""
    texts = [str(r.get("prompt", "")) for r in requests]
    texts += [str(m.get("content", "")) for r in requests for m in r.get("messages") or []]
    return texts


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """13 documents from simple tickets to structured analyses, 3 of them held back, and one bad input."""
    root = tmp_path_factory.mktemp("compare-corpus")
    records = [{"id": f"T-{i}", "text": text} for i, text in enumerate(TICKETS)]
    records.append({"id": "T-internal", "text": HELD_BACK["internal"], "sensitivity": "internal"})
    (root / "tickets.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    for n in range(3):
        body = "".join(SECTION.format(n=k) for k in range(2 + 2 * n))
        (root / f"analysis-{n}.md").write_text(f"# Plant review {n}\n\n{body}", encoding="utf-8")
    (root / "release-notes.md").write_text(
        "# Release notes\n\n## Changes\n\nThe sync job is faster. Therefore imports finish sooner. "
        "Moreover, errors are clearer.\n\n## Fixes\n\n- login loop\n- CSV export\n",
        encoding="utf-8",
    )
    (root / "complaint.txt").write_text(HELD_BACK["confidential"], encoding="utf-8")
    (root / "payroll.txt").write_text(HELD_BACK["restricted"], encoding="utf-8")
    (root / "empty.txt").write_text("   \n", encoding="utf-8")
    return root


def compare(*args: str, env: dict[str, str] | None, cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in BACKEND_VARS and not k.startswith("TURNOUT_")}
    return subprocess.run(
        [sys.executable, "-m", "producer.cli", "compare", *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=240,
    )


def backends(redis_server: RedisServer, local: OllamaSimulator, cloud: OpenAISimulator) -> dict[str, str]:
    return {
        "TURNOUT_BROKER_URL": redis_server.url,
        "TURNOUT_OLLAMA_HOSTS": local.url,
        "OPENAI_BASE_URL": cloud.base_url,
        "OPENAI_API_KEY": "sk-test-0000000000000000",
    }


def run_json(*args: str, env: dict[str, str], cwd: Path) -> dict[str, Any]:
    done = compare(*args, "--json", env=env, cwd=cwd)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def test_compare_reports_per_bucket_and_never_sends_held_back_text_to_the_cloud(
    corpus: Path,
    fresh_sims: tuple[OllamaSimulator, OpenAISimulator],
    redis_server: RedisServer,
    tmp_path: Path,
) -> None:
    local, cloud = fresh_sims
    env = backends(redis_server, local, cloud)
    report = run_json(
        str(corpus),
        "--task",
        "custom",
        "--prompt",
        DEMANDING,
        "--models",
        "llama3.2:3b,qwen2.5:7b",
        env=env,
        cwd=tmp_path,
    )
    assert report["simulated"] is False and report["task"] == "custom"
    assert (
        report["agreement_measure"]["name"] == "ROUGE-L F1"
        and report["agreement_measure"]["threshold"] == 0.4
    )
    sample = report["sample"]
    assert (sample["documents"], sample["loaded"]) == (13, 13)
    assert [(Path(r["source"]).name, r["reason"]) for r in sample["rejected"]] == [
        ("empty.txt", "empty document")
    ]

    # Held back: counted by level, compared between the two local models, never at the cloud simulator.
    held = report["held_back"]
    assert held["documents"] == 3 and held["by_sensitivity"] == {
        "confidential": 1,
        "internal": 1,
        "restricted": 1,
    }
    assert held["compared_between_local_models"] == 3 and held["reference_model"] == "llama3.2:3b"
    assert held["by_model"]["qwen2.5:7b"]["compared"] == 3
    sent_to_cloud = message_texts(cloud.requests)
    assert not [f for f in HELD_BACK_FRAGMENTS for text in sent_to_cloud if f in text]
    sent_to_local = "\n".join(message_texts(local.requests))
    for text in HELD_BACK.values():
        assert text in sent_to_local  # compared between the local models instead
    assert len(cloud.requests) == 10  # one call per cloud-allowed document, none of them long
    assert {r["model"] for r in cloud.requests} == {"gpt-4o-mini"}

    buckets = report["buckets"]
    assert sum(b["documents"] for b in buckets.values()) == 13
    assert buckets["moderate"]["documents"] > 0 and buckets["complex"]["documents"] > 0
    total = report["total"]
    assert (total["documents"], total["held_back"], total["compared"]) == (13, 3, 10)
    for model in ("llama3.2:3b", "qwen2.5:7b", "gpt-4o-mini"):
        assert total["by_model"][model]["cost_usd"] > 0
    assert total["by_model"]["llama3.2:3b"]["agreement"] == 1.0  # no divergence configured: the same answers

    rec = report["recommendation"]
    assert rec["model"] == "llama3.2:3b" and rec["outcome"] == "all_local"
    assert rec["cloud_share"] == 0.0 and rec["cloud_min_score"] > 1.0  # above every score: keep it all local
    assert SNIPPET.fullmatch(rec["routing_yaml"])
    assert set(report["other_models"]) == {"qwen2.5:7b"}
    assert report["failures"] == []
    assert all("HELDBACK" not in json.dumps(doc) for doc in report["documents"])  # no text in the report


def test_the_recommendation_moves_when_the_local_model_disagrees_more(
    corpus: Path,
    fresh_sims: tuple[OllamaSimulator, OpenAISimulator],
    redis_server: RedisServer,
    tmp_path: Path,
) -> None:
    local, cloud = fresh_sims
    env = backends(redis_server, local, cloud)
    args = (str(corpus), "--task", "custom", "--prompt", DEMANDING)
    agreeing = compare(*args, env=env, cwd=tmp_path)
    assert agreeing.returncode == 0, agreeing.stderr[-3000:]
    calm = SNIPPET.search(agreeing.stdout)
    assert calm is not None and agreeing.stdout.endswith(calm.group(0))  # the report ends with the snippet
    # One local model: held-back documents cannot be compared, so they are sent nowhere at all.
    everything_sent = message_texts(local.requests) + message_texts(cloud.requests)
    assert not [f for f in HELD_BACK_FRAGMENTS for text in everything_sent if f in text]
    assert "not compared: give two or more --models" in agreeing.stdout
    assert "replace the `cloud_min_score:` line under `routes:`" in agreeing.stdout
    assert "held back: 3 document(s) never sent to the cloud" in agreeing.stdout

    local.set_config(divergence={"llama3.2:3b": 1.5})
    report = run_json(*args, env=env, cwd=tmp_path)
    rec = report["recommendation"]
    assert rec["outcome"] == "threshold"
    assert rec["cloud_min_score"] < float(calm.group(1))
    assert rec["cloud_share"] > 0.0 and rec["agreement"] >= 0.9
    # At strength 1.5 every complex document (score >= 2/3) diverges; the simple ones mostly do not.
    complex_stats = report["buckets"]["complex"]["by_model"]["llama3.2:3b"]
    assert complex_stats["compared"] > 0 and complex_stats["agreement"] == 0.0
    assert report["total"]["by_model"]["llama3.2:3b"]["agreement"] < 1.0

    local.set_config(divergence={"llama3.2:3b": 0.6})  # milder: somewhere in between
    milder = run_json(*args, env=env, cwd=tmp_path)["recommendation"]
    assert milder["cloud_share"] <= rec["cloud_share"]
    assert milder["cloud_min_score"] >= rec["cloud_min_score"]


def test_extract_and_classify_use_their_own_measures_on_a_reproducible_sample(
    corpus: Path,
    fresh_sims: tuple[OllamaSimulator, OpenAISimulator],
    redis_server: RedisServer,
    tmp_path: Path,
) -> None:
    local, cloud = fresh_sims
    local.set_config(divergence={"llama3.2:3b": 100.0})  # every answer diverges
    env = backends(redis_server, local, cloud)
    extract = run_json(
        str(corpus), "--task", "extract", "--fields", "invoice_number,date,total,title", env=env, cwd=tmp_path
    )
    assert extract["agreement_measure"]["name"] == "field match"
    llama = extract["total"]["by_model"]["llama3.2:3b"]
    # Some fields of every answer were altered, not all of them: a field share strictly between 0 and 1.
    assert llama["agreeing_documents"] == 0 and 0.0 < llama["agreement"] < 1.0
    assert extract["failures"] == []  # diverged answers still validate: no repairs, no failures

    args = (
        str(corpus),
        "--task",
        "classify",
        "--labels",
        "bug,billing,feature,other",
        "--sample",
        "5",
        "--seed",
        "3",
    )
    first = run_json(*args, env=env, cwd=tmp_path)
    again = run_json(*args, env=env, cwd=tmp_path)
    assert first["agreement_measure"]["name"] == "label match"
    assert (first["sample"]["documents"], first["sample"]["loaded"]) == (5, 13)
    assert [d["source"] for d in first["documents"]] == [d["source"] for d in again["documents"]]
    assert first["recommendation"] == again["recommendation"]  # same seed, same divergence: same result
    compared = [d for d in first["documents"] if d["cloud_allowed"]]
    assert all(d["agreement"]["llama3.2:3b"]["agrees"] is False for d in compared)


def test_compare_runs_on_the_builtin_simulators_when_nothing_is_configured(tmp_path: Path) -> None:
    done = compare(
        str(REPO_ROOT / "examples"), "--task", "summarize", "--sample", "6", "--json", env=None, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "SIMULATED BACKENDS" in done.stderr and "embedded Redis" in done.stderr  # said loudly
    report = json.loads(done.stdout)
    assert report["simulated"] is True and report["sample"]["documents"] == 6
    assert report["recommendation"]["routing_yaml"] is None or SNIPPET.fullmatch(
        report["recommendation"]["routing_yaml"]
    )


def test_compare_refuses_bad_model_choices_and_half_configured_backends_clearly(
    corpus: Path,
    fresh_sims: tuple[OllamaSimulator, OpenAISimulator],
    redis_server: RedisServer,
    tmp_path: Path,
) -> None:
    local, cloud = fresh_sims
    env = backends(redis_server, local, cloud)
    unpriced = compare(str(corpus), "--models", "mystery:1b", env=env, cwd=tmp_path)
    assert unpriced.returncode == 1 and "not in the price table" in unpriced.stderr
    cloud_as_local = compare(str(corpus), "--models", "gpt-4o-mini", env=env, cwd=tmp_path)
    assert cloud_as_local.returncode == 2 and "is the cloud model" in cloud_as_local.stderr
    local_only = {k: v for k, v in env.items() if not k.startswith("OPENAI_")}
    half = compare(str(corpus), env=local_only, cwd=tmp_path)
    assert half.returncode == 1 and "needs the cloud API too" in half.stderr
    for done in (unpriced, cloud_as_local, half):
        assert "Traceback" not in done.stderr
    assert local.requests == [] and cloud.requests == []  # refused before anything was sent


def test_the_cloud_runner_refuses_a_held_back_document_before_any_request(
    fresh_sims: tuple[OllamaSimulator, OpenAISimulator], redis_server: RedisServer
) -> None:
    from pydantic import SecretStr

    from producer.compare.run import CloudRefused, ModelRunner, Retry, cloud_guard
    from worker.runtime import Policies, build_backend
    from worker.schema import Complexity, RouteTarget, Sensitivity, Tags, TaskKind, TaskSpec
    from worker.settings import Settings
    from worker.store import Store

    _, cloud = fresh_sims
    settings = Settings(
        broker_url=redis_server.url, openai_base_url=cloud.base_url, openai_api_key=SecretStr("sk-test")
    )
    policies = Policies.load(settings)
    store = Store.from_url(redis_server.url)
    runner = ModelRunner(
        build_backend(settings, RouteTarget.CLOUD, store),
        "gpt-4o-mini",
        policies,
        TaskSpec(kind=TaskKind.SUMMARIZE),
        Retry(attempts=1, backoff_s=0.01, backoff_max_s=0.01),
        guard=cloud_guard(policies.routing),
    )
    # Even a job the comparison would wrongly hand over is stopped before any request is made.
    for level in (Sensitivity.INTERNAL, Sensitivity.CONFIDENTIAL, Sensitivity.RESTRICTED):
        tags = Tags(
            sensitivity=level, complexity=Complexity.COMPLEX, complexity_score=0.9, classifier_version="t"
        )
        with pytest.raises(CloudRefused):
            runner.run("guard-test", HELD_BACK["internal"], tags)
    assert cloud.requests == []
    public = Tags(
        sensitivity=Sensitivity.PUBLIC,
        complexity=Complexity.SIMPLE,
        complexity_score=0.1,
        classifier_version="t",
    )
    assert runner.run("guard-test", TICKETS[0], public).output  # the same runner answers a public one
    assert len(cloud.requests) == 1
    store.close()


def test_a_routing_cloud_share_is_the_current_policy_and_is_named_as_what_overrides_the_threshold(
    corpus: Path,
    fresh_sims: tuple[OllamaSimulator, OpenAISimulator],
    redis_server: RedisServer,
    tmp_path: Path,
) -> None:
    local, cloud = fresh_sims
    config = shipped_configs(tmp_path)
    routing = config / "routing.yaml"
    routing.write_text(routing.read_text().replace("  cloud_share: null", "  cloud_share: 0.5"))
    env = {**backends(redis_server, local, cloud), "TURNOUT_CONFIG_DIR": str(config)}
    report = run_json(str(corpus), "--task", "summarize", env=env, cwd=tmp_path)
    # A batch of these documents would be calibrated to about half of its cloud-allowed jobs, not the
    # bucket rule's share.
    assert report["routing_cloud_share"] == 0.5
    assert 0.3 <= report["current_policy"]["cloud_share"] <= 0.7
    text = compare(str(corpus), "--task", "summarize", env=env, cwd=tmp_path)
    assert text.returncode == 0, text.stderr[-3000:]
    assert "routes.cloud_share 50% calibrated on this sample" in text.stdout
    assert "set it to null for this threshold to apply" in text.stdout


def test_a_cap_that_refuses_for_good_fails_the_cloud_answers_at_once_instead_of_waiting(
    corpus: Path,
    fresh_sims: tuple[OllamaSimulator, OpenAISimulator],
    redis_server: RedisServer,
    tmp_path: Path,
) -> None:
    import time

    local, cloud = fresh_sims
    config = shipped_configs(tmp_path)
    # A daily cap below any call's worst case, held until a reset hours away: a comparison must not wait.
    (config / "budgets.yaml").write_text(
        f"providers:\n  sim:\n    base_url: {cloud.base_url}\n"
        "    daily: {usd: 0.0001, on_exhausted: hold}\n"
    )
    env = {
        **backends(redis_server, local, cloud),
        "TURNOUT_CONFIG_DIR": str(config),
        "TURNOUT_RETRY_BACKOFF_S": "1",
        "TURNOUT_RETRY_BACKOFF_MAX_S": "60",
    }
    started = time.monotonic()
    report = run_json(str(corpus), "--task", "summarize", env=env, cwd=tmp_path)
    assert time.monotonic() - started < 30  # not one backoff_max_s wait for a reset hours away
    assert cloud.requests == []  # refused before anything was sent
    failures = report["failures"]
    assert failures and {f["error"] for f in failures} == {"budget_exhausted"}
    assert report["recommendation"]["outcome"] == "no_data"


def shipped_configs(tmp_path: Path) -> Path:
    """A copy of the shipped configs/ that a test may edit."""
    import shutil

    config = tmp_path / "configs"
    shutil.copytree(REPO_ROOT / "configs", config)
    return config
