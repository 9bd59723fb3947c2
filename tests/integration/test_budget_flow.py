"""Budgets end to end: real redis-server, real Celery worker processes (three cloud workers), the simulators.

One module-scoped deployment whose configs/budgets.yaml caps the OpenAI simulator's provider per UTC day
(policy hold) and month (policy fail), and whose batch caps go local when spent. Each exhaustion policy is
played once, and several cloud workers race a small batch cap: the cloud spend recorded in the results
never exceeds the cap plus the in-flight overrun, which the simulators make zero.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from ops.simulators import OllamaSimulator, OpenAISimulator, SimConfig
from producer.cli import main as cli
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, StackError, WorkerProcess, wait_until
from producer.submit import submit_batch
from tests.conftest import REPO_ROOT, SECOND_LINE_OFF, stack_settings, start_workers
from worker.budget.gate import to_pico
from worker.budget.ledger import LedgerUse, Windows
from worker.celery_app import create_app
from worker.schema import JobResult, TaskKind, TaskSpec
from worker.settings import Settings
from worker.store import Store
from worker.store.budget import BudgetLedger

pytestmark = pytest.mark.integration

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)
DAY_CAP, MONTH_CAP = Decimal(1000), Decimal(2000)
SECRET = "Refund the duplicate charge on card 4539 1488 0343 6467 for order 88231, thanks."
CLOUD_THREADS = 3 * 4  # three cloud worker processes, four threads each
MAX_OUTPUT_TOKENS = 64


def notes(n: int, tag: str) -> dict[str, str]:
    """Short non-sensitive notes; with `cloud_min_complexity: simple` every one of them is cloud-bound."""
    return {
        f"{tag}-{i}.txt": f"Team note {tag} {i}: the warehouse count moved to Thursday; bring rota {i} and the keys."
        for i in range(n)
    }


@dataclass
class BudgetStack:
    redis: RedisServer
    settings: Settings
    openai: OpenAISimulator
    store: Store
    ledger: BudgetLedger
    provider: str
    workers: list[WorkerProcess]
    config_dir: Path

    def submit(self, docs: dict[str, str], max_cost_usd: Decimal | None = None) -> str:
        items = [LoadedDocument(source=s, text=t, metadata={}) for s, t in docs.items()]
        app = create_app(self.settings)
        return submit_batch(self.store, app, items, SUMMARIZE, force=True, max_cost_usd=max_cost_usd).batch_id

    def finish(self, batch_id: str, timeout_s: float = 120) -> list[JobResult]:
        try:
            wait_until(lambda: self.store.report(batch_id).done, timeout_s, f"batch {batch_id} to finish")
        except StackError as exc:
            tails = "\n".join(
                f"--- {w.pool}\n{w.log_path.read_text(errors='replace')[-3000:]}" for w in self.workers
            )
            raise StackError(f"{exc}; {self.store.report(batch_id)}\n{tails}") from None
        return list(self.store.iter_results(batch_id))

    def day(self) -> LedgerUse:
        return self.ledger.use(self.ledger.day_key(self.provider, Windows.at(self.ledger.now()).day))

    def batch(self, batch_id: str) -> LedgerUse:
        return self.ledger.use(self.ledger.batch_key(batch_id))

    def spend_earlier(self, usd: Decimal, *, day: bool) -> None:
        """Book spend made earlier in the window (by another team's batches, say), exactly as a call would."""
        charge = uuid.uuid4().hex
        caps: dict[str, Any] = (
            {"day_cap_pico": to_pico(DAY_CAP)} if day else {"month_cap_pico": to_pico(MONTH_CAP)}
        )
        assert self.ledger.reserve(charge, to_pico(usd), lease_s=60, provider=self.provider, **caps) == []
        self.ledger.settle(charge, to_pico(usd))

    def new_window(self) -> None:
        """What 00:00 UTC does: today's ledgers are gone (tomorrow's keys are new)."""
        windows = Windows.at(self.ledger.now())
        self.store.redis.delete(
            self.ledger.day_key(self.provider, windows.day),
            self.ledger.month_key(self.provider, windows.month),
        )


@pytest.fixture(scope="module")
def budget_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BudgetStack]:
    base = tmp_path_factory.mktemp("budgets")
    (base / "logs").mkdir()
    redis = RedisServer().start()
    ollama = OllamaSimulator().start()
    openai = OpenAISimulator(config=SimConfig(latency_ms=100)).start()  # calls overlap: budgets race
    config_dir = base / "configs"
    shutil.copytree(REPO_ROOT / "configs", config_dir)
    routing = yaml.safe_load((config_dir / "routing.yaml").read_text())
    routing["routes"].update({"cloud_min_complexity": "simple", "local_only_sensitivity": []})
    # These tests hold each cloud job's cost equal to what the ledger settled: no local check beside it.
    routing["second_line"] = SECOND_LINE_OFF
    (config_dir / "routing.yaml").write_text(yaml.safe_dump(routing))
    provider = f"sim-{uuid.uuid4().hex[:6]}"
    budgets = {
        "batch": {"on_exhausted": "local"},
        "providers": {
            provider: {
                "base_url": openai.base_url,
                "daily": {"usd": str(DAY_CAP), "on_exhausted": "hold"},
                "monthly": {"usd": str(MONTH_CAP), "on_exhausted": "fail"},
            }
        },
        # A user setting under test (budgets.yaml, shipped 300 s): the hold test counts its re-checks.
        "hold_recheck_s": 0.5,
        "hold_max_s": 2 * 86_400,
    }
    (config_dir / "budgets.yaml").write_text(yaml.safe_dump(budgets))
    settings = stack_settings(
        redis.url,
        ollama,
        openai,
        config_dir=config_dir,
        cloud_concurrency=4,
        cloud_max_output_tokens=MAX_OUTPUT_TOKENS,
    )
    workers = start_workers(settings, base / "logs", pools=("classify", "local", "cloud", "cloud", "cloud"))
    store = Store.from_url(redis.url)
    yield BudgetStack(
        redis, settings, openai, store, BudgetLedger(store.redis), provider, workers, config_dir
    )
    for worker in workers:
        worker.stop()
    store.redis.close()
    ollama.stop()
    openai.stop()
    redis.close()


@pytest.fixture(autouse=True)
def fresh_window(budget_stack: BudgetStack) -> Iterator[None]:
    budget_stack.new_window()
    budget_stack.openai.requests.clear()
    yield
    budget_stack.new_window()  # never leave a spent window to the next test
    assert budget_stack.openai.internal_errors == []


def cli_json(stack: BudgetStack, *args: str) -> dict:  # type: ignore[type-arg]
    env = {"TURNOUT_BROKER_URL": stack.redis.url, "TURNOUT_CONFIG_DIR": str(stack.config_dir)}
    outcome = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert outcome.exit_code == 0, outcome.output
    return json.loads(outcome.output) if "--json" in args else {"text": outcome.output}


# ---- one test per policy --------------------------------------------------------------------------------
def test_local_a_spent_batch_cap_sends_cloud_work_to_local_and_nothing_to_the_cloud(
    budget_stack: BudgetStack,
) -> None:
    stack = budget_stack
    docs = notes(4, "local") | {"card.txt": SECRET}
    batch_id = stack.submit(docs, max_cost_usd=Decimal("0.000000001"))  # less than any call's estimate
    results = {r.source: r for r in stack.finish(batch_id)}
    assert all(r.status == "succeeded" for r in results.values())
    for source in notes(4, "local"):
        moved = results[source]
        assert moved.route == "local" and moved.fallback_from == "cloud" and moved.attempts == 1
        assert "budget: batch cap exhausted, moved to local" in moved.route_reasons
    assert results["card.txt"].route == "local" and results["card.txt"].fallback_from is None
    assert stack.openai.requests == [], "nothing was sent to the cloud"
    use = stack.batch(batch_id)
    assert (use.granted, use.spent_pico, use.in_flight) == (0, 0, 0) and use.denied >= 4


def test_hold_waits_for_the_window_to_reset_without_failing_or_spending_an_attempt(
    budget_stack: BudgetStack,
) -> None:
    stack = budget_stack
    stack.spend_earlier(DAY_CAP, day=True)  # today's cap is spent
    docs = notes(3, "hold")
    batch_id = stack.submit(docs)
    # Held jobs are re-scheduled every hold_recheck_s (0.5 s): twelve checks each is more deliveries than
    # TURNOUT_MAX_DELIVERIES, so a hold that counted them would have dead-lettered the jobs by now.
    wait_until(lambda: stack.day().denied >= 12 * len(docs), 60, "held jobs to check again and again")
    report = stack.store.report(batch_id)
    assert (report.succeeded, report.failed, report.pending) == (0, 0, len(docs))
    assert stack.openai.requests == []
    shown = cli_json(stack, "status", batch_id, "--json")["budget"]["providers"][stack.provider]
    assert shown["day"]["left_usd"] == 0 and shown["day"]["refused"] >= 12 * len(docs)
    assert shown["day"]["on_exhausted"] == "hold" and shown["month"]["left_usd"] == float(MONTH_CAP)
    # `report` shows the same provider caps as `status` (a batch that waits on a daily cap says so).
    assert cli_json(stack, "report", batch_id, "--json")["budget"]["providers"][stack.provider] == shown
    stack.new_window()  # 00:00 UTC
    results = stack.finish(batch_id)
    assert all(r.status == "succeeded" and r.route == "cloud" for r in results)
    assert all(r.attempts == 1 and r.fallback_from is None for r in results), "a hold is not an attempt"
    billed = sum(r.cost_usd for r in results)
    assert billed > 0 and stack.day().settled_pico / 1e12 == pytest.approx(billed)


def test_fail_a_spent_monthly_cap_fails_cloud_work_with_the_reason(budget_stack: BudgetStack) -> None:
    stack = budget_stack
    stack.spend_earlier(MONTH_CAP, day=False)
    docs = notes(2, "fail") | {"card.txt": SECRET}
    results = {r.source: r for r in stack.finish(stack.submit(docs))}
    for source in notes(2, "fail"):
        failed = results[source]
        assert failed.status == "failed" and failed.error is not None
        assert (
            failed.error.type == "budget_exhausted" and "monthly cap of $2000.000000" in failed.error.message
        )
        assert failed.attempts == 0 and failed.cost_usd == 0
    assert results["card.txt"].status == "succeeded"  # local work is never capped
    assert stack.openai.requests == []


# ---- the race -------------------------------------------------------------------------------------------
def test_cloud_workers_racing_a_small_batch_cap_never_spend_more_than_it(budget_stack: BudgetStack) -> None:
    """40 cloud-bound jobs, three cloud worker processes of four threads, a cap worth about half of them."""
    stack = budget_stack
    cap = Decimal("0.0008")
    batch_id = stack.submit(notes(40, "race"), max_cost_usd=cap)
    results = stack.finish(batch_id)
    assert len(results) == 40 and all(r.status == "succeeded" for r in results)
    on_cloud = [r for r in results if r.route == "cloud"]
    moved = [r for r in results if r.route == "local"]
    assert on_cloud and moved and all(r.fallback_from == "cloud" for r in moved)

    counters = stack.store.redis.hgetall(f"tn:{{{batch_id}}}:counters")
    spent = int(counters["cloud:cost_pico"])  # exact: what the results bill for the cloud
    use = stack.batch(batch_id)
    assert use.settled_pico == spent and use.unknown_pico == 0, "every settled call is in a result"
    assert (use.in_flight, use.reserved_pico) == (0, 0)
    # The bound: the cap plus how far the calls in flight at the last grant overran their estimates. The
    # simulator counts tokens as the estimate does and the output is capped, so there is no overrun at all.
    assert use.overrun_pico == 0
    assert spent <= to_pico(cap) + use.overrun_pico
    # What was at risk at once is bounded by the calls in flight: at most one per cloud thread. (And the
    # workers did race: several calls were in flight together.)
    estimates = use.reserved_total_pico / use.granted
    assert estimates < use.peak_reserved_pico <= min(to_pico(cap), CLOUD_THREADS * 2 * estimates)
    # And the cap was used, not left idle: the last refusal was hard, so no further call fitted.
    assert spent > to_pico(cap) - 2 * estimates
    assert len(on_cloud) == use.granted == len(stack.openai.requests)

    report = cli_json(stack, "report", batch_id, "--json")["budget"]["batch"]
    assert report["spent_usd"] == pytest.approx(spent / 1e12) and report["cap_usd"] == float(cap)
    assert report["worst_case_usd"] == report["spent_usd"] and report["overrun_usd"] == 0
    text = cli_json(stack, "report", batch_id)["text"]
    assert "budget (batch --max-cost-usd)" in text and "spend stays within cap + overrun" in text
