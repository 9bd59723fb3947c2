"""The cloud-batch route end to end: real worker processes, a persistent Redis, the OpenAI simulator.

The proof of issue 8: a batch submitted with `--deadline 24h` sends its complex jobs through the Batch
API; the worker holding the provider batch's polling is SIGKILLed while the batch is in progress and a
new one takes over; every job ends with a result, costs are at batch rates, and the simulator received
each request exactly once.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from ops.simulators import OllamaSimulator, OpenAISimulator
from producer.cli import main as cli
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, WorkerProcess, wait_until
from producer.submit import submit_batch
from tests.conftest import stack_settings, start_workers
from tests.integration.test_batch_flow import CLOUD_BOUND, batch_config_dir
from worker.celery_app import create_app
from worker.schema import BatchReport, JobResult, TaskKind, TaskSpec
from worker.settings import Settings
from worker.store import Store
from worker.store.batch_route import BatchState

pytestmark = pytest.mark.integration

DAY_S = 86_400.0
SECRET = "Refund card 4539 1488 0343 6467 now. "


@dataclass
class BatchStack:
    redis: RedisServer
    settings: Settings
    ollama: OllamaSimulator
    openai: OpenAISimulator
    store: Store
    workers: list[WorkerProcess]
    log_dir: Path

    def replace_worker(self, pool: str) -> WorkerProcess:
        old = next(w for w in self.workers if w.pool == pool)
        self.workers.remove(old)
        old.kill()
        log_dir = self.log_dir / secrets.token_hex(2)
        log_dir.mkdir()
        (new,) = start_workers(self.settings, log_dir, pools=(pool,))
        self.workers.append(new)
        return new

    def submit(self, docs: dict[str, str], deadline_s: float | None = DAY_S) -> str:
        items = [LoadedDocument(source=s, text=t, metadata={}) for s, t in docs.items()]
        app = create_app(self.settings)
        task = TaskSpec(kind=TaskKind.SUMMARIZE)
        return submit_batch(self.store, app, items, task, force=True, deadline_s=deadline_s).batch_id

    def finish(self, batch_id: str, timeout_s: float = 120) -> tuple[BatchReport, list[JobResult]]:
        wait_until(lambda: self.store.report(batch_id).done, timeout_s, f"batch {batch_id} to finish")
        return self.store.report(batch_id), list(self.store.iter_results(batch_id))


@pytest.fixture(scope="module")
def batch_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BatchStack]:
    base = tmp_path_factory.mktemp("batch-e2e")
    (base / "logs").mkdir()
    redis = RedisServer(appendonly=True, data_dir=base).start()
    ollama, openai = OllamaSimulator().start(), OpenAISimulator().start()
    config_dir = batch_config_dir(
        base / "configs", flush_idle_s=0.3, flush_max_wait_s=5, poll_interval_s=0.3, poll_interval_max_s=1
    )
    settings = stack_settings(
        redis.url,
        ollama,
        openai,
        config_dir=config_dir,
    )
    workers = start_workers(settings, base / "logs")
    stack = BatchStack(redis, settings, ollama, openai, Store.from_url(redis.url), workers, base / "logs")
    yield stack
    for worker in stack.workers:
        worker.stop()
    ollama.stop()
    openai.stop()
    stack.store.redis.close()
    redis.close()


@pytest.fixture(autouse=True)
def fresh_simulators(batch_stack: BatchStack) -> Iterator[None]:
    batch_stack.openai.batches.reset()
    batch_stack.openai.requests.clear()
    batch_stack.openai.answered.clear()
    yield
    assert batch_stack.openai.internal_errors == []


def test_complex_jobs_go_through_the_batch_api_and_survive_a_worker_restart(batch_stack: BatchStack) -> None:
    stack = batch_stack
    stack.openai.batches.configure(completion_s=8.0)
    docs = {f"review-{i}.md": CLOUD_BOUND + f"\nEdition {i}." for i in range(4)}
    docs |= {
        f"rota-{i}.txt": f"Shift rota update {i}: warehouse B count moves to Thursday." for i in range(2)
    }
    docs["card.md"] = SECRET + CLOUD_BOUND  # restricted: stays local, deadline or not
    batch_id = stack.submit(docs)
    state = BatchState(stack.store.redis)

    def provider_batch_running() -> bool:
        groups = state.groups_info(batch_id)
        return bool(groups) and all(g.get("state") == "submitted" for g in groups)

    wait_until(provider_batch_running, 60, "the provider batch to be in progress")
    assert all(b.status in ("validating", "in_progress") for b in stack.openai.batches.created())
    new_worker = stack.replace_worker("cloud")  # SIGKILL the worker holding the polling; a new one starts

    report, results = stack.finish(batch_id)
    assert report.succeeded == 7 and report.failed == 0
    on_batch = [r for r in results if r.route == "cloud-batch"]
    assert len(on_batch) == 4 and {r.source for r in on_batch} == {f"review-{i}.md" for i in range(4)}
    assert {r.route for r in results if r.route != "cloud-batch"} == {"local"}

    # Costs at batch rates, exactly as the provider reported usage; the report shows the discount.
    prices = create_prices(stack)
    for result in on_batch:
        assert result.cost_usd == pytest.approx(prices.batch_cost_pico("gpt-4o-mini", result.usage) / 1e12)
        assert result.cost_usd == pytest.approx(result.baseline_cost_usd / 2)
    route = report.by_route["cloud-batch"]
    assert route.jobs == 4 and route.cost_usd == pytest.approx(sum(r.cost_usd for r in on_batch))
    assert route.savings_usd == pytest.approx(route.cost_usd) and route.savings_usd > 0
    assert report.cost_usd == pytest.approx(sum(r.cost_usd for r in results))

    # No request submitted twice: each uploaded once, one provider batch per group, nothing real-time.
    uploaded = [custom_id for _, custom_id in stack.openai.batches.uploaded]
    assert sorted(uploaded) == sorted(r.job_id for r in on_batch)
    assert len(stack.openai.batches.created()) == len(state.groups(batch_id))
    assert len(stack.openai.requests) == 4
    assert sorted(a["custom_id"] for a in stack.openai.answered) == sorted(uploaded)
    assert "4539 1488 0343 6467" not in json.dumps(stack.openai.requests)

    # The new worker picked the polling up when it started.
    assert "batch_work_resumed" in new_worker.log_path.read_text(errors="replace")

    env = {"TURNOUT_BROKER_URL": stack.settings.broker_url or ""}
    shown = CliRunner().invoke(cli, ["status", batch_id], env=env)
    assert shown.exit_code == 0, shown.output
    assert (
        "cloud-batch: 1 provider batch(es), 0 in progress; requests completed 4/4, failed 0" in shown.output
    )
    as_json = json.loads(CliRunner().invoke(cli, ["status", batch_id, "--json"], env=env).output)
    assert as_json["cloud_batch"]["completed"] == 4


def test_a_failed_batch_request_falls_back_to_the_real_time_route(batch_stack: BatchStack) -> None:
    stack = batch_stack
    stack.openai.batches.configure(completion_s=1.0)
    docs = {f"study-{i}.md": CLOUD_BOUND + f"\nStudy {i}." for i in range(3)}
    items_first = "study-0.md"
    batch_id = stack.submit(docs)
    failing = f"{batch_id}.000001"  # the first document's job
    stack.openai.batches.configure(fail_custom_ids={failing})
    report, results = stack.finish(batch_id)
    assert report.succeeded == 3
    by_id = {r.job_id: r for r in results}
    fell_back = by_id[failing]
    assert fell_back.source == items_first
    assert fell_back.route == "cloud" and fell_back.fallback_from == "cloud-batch"
    assert all(r.route == "cloud-batch" for job_id, r in by_id.items() if job_id != failing)
    uploaded = [custom_id for _, custom_id in stack.openai.batches.uploaded]
    assert sorted(uploaded) == sorted(by_id)  # the failed one was submitted once, then ran in real time
    assert len(stack.openai.requests) == 4  # three batch requests and the fallback's real-time call


def test_batch_api_failures_are_named_in_status_while_they_are_retried(batch_stack: BatchStack) -> None:
    """Every Files/Batches call fails for a while: `turnout status` says which jobs retry, why, from where
    and when; once a call goes through again it stops saying so, and the batch completes."""
    stack = batch_stack
    stack.openai.batches.configure(completion_s=8.0, fail_next_calls=1_000_000)
    batch_id = stack.submit({f"plan-{i}.md": CLOUD_BOUND + f"\nPlan {i}." for i in range(3)})
    env = {"TURNOUT_BROKER_URL": stack.settings.broker_url or ""}

    def status() -> str:
        shown = CliRunner().invoke(cli, ["status", batch_id], env=env)
        assert shown.exit_code == 0, shown.output
        return shown.output

    wait_until(lambda: "retrying" in status(), 60, "status to name the Batch API's failures", interval_s=0.5)
    line = next(line for line in status().splitlines() if "retrying" in line)
    where = f"the Batch API at http://127.0.0.1:{stack.openai.port}"
    assert re.fullmatch(rf"3 jobs retrying: server_error from {where}, next try (in \d+ s|due now)", line), (
        line
    )
    as_json = json.loads(CliRunner().invoke(cli, ["status", batch_id, "--json"], env=env).output)
    assert as_json["retrying"]["causes"] == [{"kind": "server_error", "where": where, "jobs": 3}]

    stack.openai.batches.configure(fail_next_calls=0)

    def running_quietly() -> bool:  # the provider batch runs (8 s): nothing waits out an error now
        return not stack.store.report(batch_id).done and "retrying" not in status()

    wait_until(
        running_quietly, 30, "status to stop naming retries once the upload went through", interval_s=0.5
    )
    report, _ = stack.finish(batch_id)
    assert report.succeeded == 3


def test_without_a_deadline_the_same_jobs_run_in_real_time(batch_stack: BatchStack) -> None:
    stack = batch_stack
    report, results = stack.finish(stack.submit({"memo.md": CLOUD_BOUND + "\nMemo."}, deadline_s=None))
    assert report.succeeded == 1 and results[0].route == "cloud"
    assert stack.openai.batches.uploaded == []


def create_prices(stack: BatchStack):  # type: ignore[no-untyped-def]
    from worker.pricing import load_price_table

    return load_price_table(stack.settings.pricing_file())


def test_turnout_submit_deadline_puts_the_batch_on_the_batch_route(
    batch_stack: BatchStack, tmp_path: Path
) -> None:
    stack = batch_stack
    stack.openai.batches.configure(completion_s=0.5)
    (tmp_path / "analysis.md").write_text(CLOUD_BOUND + "\nFrom the CLI.")
    env = {"TURNOUT_BROKER_URL": stack.settings.broker_url or ""}
    submitted = CliRunner().invoke(cli, ["submit", str(tmp_path), "--deadline", "2d", "--json"], env=env)
    assert submitted.exit_code == 0, submitted.output
    batch_id = json.loads(submitted.stdout.strip().splitlines()[-1])["batch_id"]
    options = stack.store.manifest(batch_id).options
    assert options is not None and options.deadline_s == 2 * DAY_S
    report, (result,) = stack.finish(batch_id)
    assert report.succeeded == 1 and result.route == "cloud-batch"
    assert "deadline:48h allows the batch API" in result.route_reasons


@pytest.mark.parametrize("command", ["submit", "run"])
def test_a_deadline_without_a_unit_is_refused(command: str, tmp_path: Path) -> None:
    refused = CliRunner().invoke(cli, [command, str(tmp_path), "--deadline", "24"])
    assert refused.exit_code == 2 and "use a number and a unit" in refused.output


def test_jobs_waiting_at_the_provider_are_not_reissued_while_they_wait(batch_stack: BatchStack) -> None:
    """A provider batch may take up to 24 h. Its jobs have no message meanwhile (the poll chain owns them):
    the workers' sweepers must not re-issue their collects every few seconds (before: 28 re-issues for 4
    jobs in 2 minutes). Watched for 45 s of shipped sweeps, then the batch completes, each request once."""
    stack = batch_stack
    stack.openai.batches.configure(completion_s=45.0)
    batch_id = stack.submit({f"wait-{i}.md": CLOUD_BOUND + f"\nWait {i}." for i in range(4)})
    logs = {w.log_path: len(w.log_path.read_bytes()) for w in stack.workers}

    def reissued() -> list[str]:
        return [
            line
            for path, start in logs.items()
            for line in path.read_bytes()[start:].decode(errors="replace").splitlines()
            if "job_reissued" in line and batch_id in line
        ]

    report, results = stack.finish(batch_id, timeout_s=180)
    assert report.succeeded == 4 and all(r.route == "cloud-batch" for r in results)
    assert reissued() == []
    assert sorted(custom_id for _, custom_id in stack.openai.batches.uploaded) == sorted(
        r.job_id for r in results
    )
