"""Total cost of ownership and licenses on real parts: redis-server, worker processes, the simulators."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from producer.local_stack import RedisServer, wait_until
from producer.render import print_report
from producer.submit import submit_batch
from tests.conftest import REPO_ROOT, Stack
from tests.integration.gpu_billing import assert_billed_for_gpu_time
from tests.integration.test_pipeline import SENSITIVE, SIMPLE, complex_document, documents
from worker.pricing import PICO_PER_USD
from worker.runtime import Policies
from worker.schema import JobResult, JobStatus, ModelUse, RouteTarget, TaskKind, TaskSpec, Usage
from worker.store import CostedResult, Store
from worker.tco import JobFootprint, LocalUse

pytestmark = pytest.mark.integration

TEXTS = {**SENSITIVE, **SIMPLE, "strategy.md": complex_document()}


# ------------------------------------------------------------------------------ the counters, exactly once


def test_the_record_script_counts_local_use_and_models_once_per_job(store: Store, tmp_path: Path) -> None:
    batch_id = f"b-tco-{tmp_path.name}"
    store.create_batch(batch_id, TaskSpec(kind=TaskKind.SUMMARIZE))
    store.seal_batch(batch_id, 3)
    local = LocalUse(
        calls=2,
        gpu_ms=1500.25,
        input_tokens=900,
        output_tokens=100,
        cost_pico=7_000_000,
        baseline_pico=11_000_000,
    )
    on_gpu = JobFootprint(
        local=local,
        fleet_hosts=3,
        host_pico_per_hour=PICO_PER_USD,
        models=(("llama3.2:3b", "Llama-3.2-Community"), ("gpt-4o-mini", "proprietary")),
    )
    cloud_only = JobFootprint(models=(("gpt-4o-mini", "proprietary"),))
    unlicensed = JobFootprint(
        local=LocalUse(calls=1, input_tokens=5, output_tokens=5), models=(("x:1b", ""),)
    )

    def record(job_id: str, footprint: JobFootprint) -> bool:
        result = JobResult(
            job_id=job_id,
            batch_id=batch_id,
            source=f"{job_id}.txt",
            status=JobStatus.SUCCEEDED,
            route=RouteTarget.LOCAL,
            usage=Usage(input_tokens=1, output_tokens=1),
        )
        return store.record_result(CostedResult(result, 1, 2, footprint))

    assert record("j1", on_gpu) and record("j2", cloud_only) and record("j3", unlicensed)
    assert not record("j1", on_gpu)  # a re-delivery moves nothing
    report = store.report(batch_id)
    cost = report.local_cost
    assert (cost.input_tokens, cost.output_tokens, cost.gpu_s) == (905, 105, 1.5)  # µs kept, shown as s
    assert cost.busy_usd == 7e-6 and cost.fleet_hosts == 3
    assert cost.busy_usd_per_mtok == pytest.approx(7e-6 / 1010 * 1e6)
    assert cost.cloud_usd_per_mtok == pytest.approx(11e-6 / 1010 * 1e6)
    assert report.models == {
        "gpt-4o-mini": ModelUse(jobs=2, license="proprietary"),
        "llama3.2:3b": ModelUse(jobs=1, license="Llama-3.2-Community"),
        "x:1b": ModelUse(jobs=1, license=None),
    }
    assert store.redis.hget(f"tn:{{{batch_id}}}:counters", "tco:gpu_us") == "1500250"


# ------------------------------------------------------------------------------------- a batch end to end


@pytest.fixture(scope="module")
def batch(stack: Stack) -> tuple[str, list[JobResult]]:
    for sim in (stack.ollama, stack.openai):
        sim.requests.clear()
        sim.answered.clear()
    summary = submit_batch(stack.store, stack.app, documents(), TaskSpec(kind=TaskKind.SUMMARIZE), force=True)
    wait_until(lambda: stack.store.report(summary.batch_id).done, 90, f"batch {summary.batch_id} to finish")
    return summary.batch_id, list(stack.store.iter_results(summary.batch_id))


def test_local_jobs_are_billed_for_the_gpu_time_the_simulator_reported(batch, stack: Stack) -> None:  # type: ignore[no-untyped-def]
    _, results = batch
    prices = Policies.load(stack.settings).prices
    local = [r for r in results if r.route == RouteTarget.LOCAL and r.status == "succeeded"]
    assert len(local) == 5
    for result in local:
        calls = [
            a
            for a in stack.ollama.answered
            if any(TEXTS[result.source] in m["content"] for m in a["messages"])
        ]
        assert len(calls) == 1, result.source
        assert_billed_for_gpu_time(result, prices, calls, stack.settings.ollama_parallel)
    cloud = [r for r in results if r.route == RouteTarget.CLOUD]
    assert cloud and all(r.gpu_ms is None for r in cloud)


def test_the_report_shows_local_cost_per_mtok_busy_and_with_idle_next_to_the_cloud(
    batch, stack: Stack
) -> None:  # type: ignore[no-untyped-def]
    batch_id, results = batch
    report = stack.store.report(batch_id)
    prices = Policies.load(stack.settings).prices
    local = [r for r in results if r.route == RouteTarget.LOCAL and r.status == "succeeded"]
    cost = report.local_cost
    tokens = sum(r.usage.input_tokens + r.usage.output_tokens for r in local)
    assert cost.input_tokens == sum(r.usage.input_tokens for r in local)
    assert cost.output_tokens == sum(r.usage.output_tokens for r in local)
    assert cost.gpu_s == pytest.approx(sum(r.gpu_ms or 0 for r in local) / 1000, abs=1e-3)
    # Busy: what the local jobs were billed, per million of their tokens; the route totals agree.
    assert cost.busy_usd == pytest.approx(sum(r.cost_usd for r in local), abs=1e-12)
    assert cost.busy_usd == pytest.approx(report.by_route["local"].cost_usd, abs=1e-12)
    assert cost.busy_usd_per_mtok is not None and cost.cloud_usd_per_mtok is not None
    assert cost.busy_usd_per_mtok == pytest.approx(cost.busy_usd / tokens * 1e6, rel=1e-5)
    # With idle: one host for the batch's wall time at the GPU-hour price, never below the busy cost.
    hourly = float(prices.gpu.hour_usd) if prices.gpu else 0.0
    assert cost.fleet_hosts == len(stack.settings.ollama_hosts) == 1
    wall_usd = hourly * report.duration_s / 3600  # duration_s is shown to the millisecond
    assert cost.fleet_usd == pytest.approx(max(cost.busy_usd, wall_usd), abs=hourly * 0.001 / 3600)
    assert cost.fleet_usd_per_mtok is not None and cost.fleet_usd_per_mtok >= cost.busy_usd_per_mtok
    # The cloud: the baseline model's list price for the same tokens.
    baseline = sum(prices.baseline_pico(r.usage) for r in local) / 1e12
    assert cost.cloud_usd_per_mtok == pytest.approx(baseline / tokens * 1e6, rel=1e-5)
    assert cost.busy_usd_per_mtok < cost.cloud_usd_per_mtok  # a small model on a busy GPU is cheaper

    shown = Console(record=True, width=160)
    print_report(shown, report)
    text = shown.export_text()
    assert "Local GPUs vs cloud, per million local tokens" in text
    for row in ("local: busy GPU time", "local: whole fleet, idle included (1 host)", "cloud baseline"):
        assert row in text
    assert f"{cost.busy_usd_per_mtok:.4f}" in text and f"{cost.cloud_usd_per_mtok:.4f}" in text


def test_the_report_lists_the_models_and_licenses_the_batch_used(batch, stack: Stack) -> None:  # type: ignore[no-untyped-def]
    batch_id, _ = batch
    report = stack.store.report(batch_id)
    assert report.models == {
        "gpt-4o-mini": ModelUse(jobs=1, license="proprietary"),
        "llama3.2:3b": ModelUse(jobs=5, license="Llama-3.2-Community"),
    }
    shown = Console(record=True, width=160)
    print_report(shown, report)
    text = shown.export_text()
    assert "Models used" in text and "Llama-3.2-Community" in text


def test_turnout_report_json_carries_local_cost_and_models(batch, stack: Stack) -> None:  # type: ignore[no-untyped-def]
    batch_id, _ = batch
    done = run_cli("report", batch_id, "--json", env={"TURNOUT_BROKER_URL": str(stack.settings.broker_url)})
    assert done.returncode == 0, done.stderr[-2000:]
    shown = json.loads(done.stdout)
    assert shown["local_cost"]["busy_usd_per_mtok"] > 0
    assert shown["local_cost"]["fleet_usd_per_mtok"] >= shown["local_cost"]["busy_usd_per_mtok"]
    assert shown["local_cost"]["cloud_usd_per_mtok"] > 0
    assert shown["models"]["llama3.2:3b"] == {"jobs": 5, "license": "Llama-3.2-Community"}


# ------------------------------------------------------------------------------- licenses refused at start


def run_cli(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TURNOUT_", "OLLAMA_", "OPENAI_"))}
    return subprocess.run(
        [sys.executable, "-m", "producer.cli", *args],
        cwd=cwd or REPO_ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def non_commercial_configs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped configs with the local route on a CC-BY-NC-4.0 model (priced, so only its license is wrong)."""
    target = tmp_path_factory.mktemp("nc") / "configs"
    shutil.copytree(REPO_ROOT / "configs", target)
    routing = yaml.safe_load((target / "routing.yaml").read_text())
    routing["models"]["local"] = "aya:8b"
    (target / "routing.yaml").write_text(yaml.safe_dump(routing))
    pricing = yaml.safe_load((target / "pricing.yaml").read_text())
    pricing["local"]["aya:8b"] = {"input_tokens_per_s": 3000, "output_tokens_per_s": 300}
    (target / "pricing.yaml").write_text(yaml.safe_dump(pricing))
    return target


def assert_refused(done: subprocess.CompletedProcess[str], config_dir: Path) -> None:
    assert done.returncode != 0
    assert "'aya:8b'" in done.stderr and "CC-BY-NC-4.0" in done.stderr, done.stderr[-2000:]
    assert str(config_dir / "models.yaml") in done.stderr and "licenses.allowed" in done.stderr
    assert "Traceback" not in done.stderr


def test_turnout_run_refuses_a_model_whose_license_is_not_allowed(
    non_commercial_configs: Path, tmp_path: Path
) -> None:
    done = run_cli(
        "run",
        str(REPO_ROOT / "examples"),
        env={"TURNOUT_CONFIG_DIR": str(non_commercial_configs)},
        cwd=tmp_path,
    )
    assert_refused(done, non_commercial_configs)
    assert not list(tmp_path.glob("*.results.jsonl"))  # nothing ran


def test_turnout_submit_and_worker_refuse_it_too(
    non_commercial_configs: Path, redis_server: RedisServer
) -> None:
    env = {"TURNOUT_CONFIG_DIR": str(non_commercial_configs), "TURNOUT_BROKER_URL": redis_server.url}
    probe = Store.from_url(redis_server.url)
    try:
        before = probe.latest_batch()
        assert_refused(run_cli("submit", str(REPO_ROOT / "examples"), env=env), non_commercial_configs)
        assert probe.latest_batch() == before  # no batch was created
    finally:
        probe.redis.close()
    assert_refused(run_cli("worker", "--pool", "local", env=env), non_commercial_configs)
