"""The second line on real parts: redis-server, the three Celery worker pools, both simulators.

Documents the rules find public are routed to the cloud (and, with a deadline, to its Batch API); the
local model (the Ollama simulator, told which marker means "sensitive") checks each one first. A yes
keeps the job local with the reason, a failed check keeps it local too, and the witness of what left is
the cloud simulator: every request it was sent and every file uploaded to its Batch API.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from ops.simulators import OllamaSimulator, OpenAISimulator, SimConfig
from producer.cli import main as cli
from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, WorkerProcess, wait_until
from producer.submission import job_id_of
from producer.submit import submit_batch
from tests.conftest import stack_settings, start_workers
from tests.integration.test_batch_flow import FAST_BATCH, batch_config_dir
from worker.backends.base import Completion
from worker.calls import price_calls
from worker.celery_app import create_app
from worker.runtime import Policies
from worker.schema import BatchReport, JobResult, JobStatus, RouteTarget, TaskKind, TaskSpec, Usage
from worker.second_line import SYSTEM_PROMPT, check_pending
from worker.settings import Settings
from worker.store import Store

pytestmark = pytest.mark.integration

MARK = "ward-zeta-77"  # the simulated local model reads it as health information
PLAIN = "Garden club notes PLAIN-{n}: we meet on Saturday to plan the spring planting. Bring seeds."
MARKED = "Garden club notes MARKED-{n}: we meet on Saturday. Ask " + MARK + " about the planting."
DAY_S = 86_400.0


@dataclass
class Line:
    settings: Settings
    ollama: OllamaSimulator
    openai: OpenAISimulator
    store: Store
    workers: list[WorkerProcess]

    def submit(self, docs: dict[str, str], deadline_s: float | None = None) -> str:
        items = [LoadedDocument(source=s, text=t, metadata={}) for s, t in docs.items()]
        task = TaskSpec(kind=TaskKind.SUMMARIZE)
        app = create_app(self.settings)
        return submit_batch(self.store, app, items, task, force=True, deadline_s=deadline_s).batch_id

    def finish(self, batch_id: str) -> tuple[BatchReport, dict[str, JobResult]]:
        wait_until(lambda: self.store.report(batch_id).done, 90, f"batch {batch_id} to finish")
        return self.store.report(batch_id), {r.source: r for r in self.store.iter_results(batch_id)}

    def sent_to_cloud(self) -> str:
        """Everything that reached the cloud side: real-time requests, and files uploaded for batches."""
        files = [f.content.decode() for f in list(self.openai.batches.files.values()) if f.purpose == "batch"]
        return json.dumps(self.openai.requests) + "".join(files)

    def checks(self) -> list[dict[str, object]]:
        """The local model's answered second-line checks."""
        return [a for a in self.ollama.answered if json.dumps(a["messages"]).find("privacy screen") != -1]


@pytest.fixture(scope="module")
def line(own_redis: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Line]:
    base = tmp_path_factory.mktemp("second-line")
    ollama = OllamaSimulator(config=SimConfig(second_line_yes_markers=(f"{MARK}=health",))).start()
    openai = OpenAISimulator().start()
    # Every document the rules find public or internal is cloud-bound here: the second line decides.
    routes = {"cloud_min_complexity": "simple", "local_only_sensitivity": []}
    config_dir = batch_config_dir(
        base / "configs", routes=routes, second_line={"enabled": "auto"}, **FAST_BATCH
    )
    settings = stack_settings(own_redis.url, ollama, openai, config_dir=config_dir)
    workers = start_workers(settings, base)
    state = Line(settings, ollama, openai, Store.from_url(own_redis.url), workers)
    yield state
    for worker in workers:
        worker.stop()
    state.store.redis.close()
    state.ollama.stop()
    openai.stop()


@pytest.fixture(autouse=True)
def fresh_simulators(line: Line) -> None:
    for sim in (line.ollama, line.openai):
        sim.requests.clear()
        sim.answered.clear()
    line.openai.batches.files.clear()


def test_a_document_the_local_model_calls_sensitive_stays_local_and_a_plain_one_goes_to_the_cloud(
    line: Line,
) -> None:
    batch_id = line.submit({"marked.txt": MARKED.format(n=1), "plain.txt": PLAIN.format(n=1)})
    report, results = line.finish(batch_id)
    marked, plain = results["marked.txt"], results["plain.txt"]
    assert marked.status is JobStatus.SUCCEEDED and marked.route is RouteTarget.LOCAL
    assert marked.route_reasons[-1] == "second_line: health" and marked.backend.startswith("ollama:")  # type: ignore[union-attr]
    assert plain.status is JobStatus.SUCCEEDED and plain.route is RouteTarget.CLOUD
    assert "second_line: clear" in plain.route_reasons and plain.backend.startswith("openai:")  # type: ignore[union-attr]
    sent = line.sent_to_cloud()
    assert MARK not in sent and "MARKED-1" not in sent
    assert sum("PLAIN-1" in json.dumps(r) for r in line.openai.requests) == 1
    assert len(line.checks()) == 2  # one check per cloud-bound document, made once
    assert report.second_line.checked == 2 and report.second_line.kept_local_sensitive == 1


def test_the_check_is_billed_to_the_job_and_shown_in_the_report(line: Line) -> None:
    batch_id = line.submit({"plain.txt": PLAIN.format(n=2)})
    report, results = line.finish(batch_id)
    plain = results["plain.txt"]
    ((check,), (cloud,)) = line.checks(), line.openai.answered
    prices = Policies.load(line.settings).prices

    def completion(answered: dict[str, object], model: str, overhead: bool) -> Completion:
        usage = Usage(input_tokens=answered["prompt_tokens"], output_tokens=answered["completion_tokens"])  # type: ignore[arg-type]
        return Completion("", usage, model, "", 0.0, overhead=overhead)

    local_model = Policies.load(line.settings).routing.models.local
    billed = price_calls(
        [completion(check, local_model, True), completion(cloud, "gpt-4o-mini", False)], prices, None, None
    )
    cloud_only = price_calls([completion(cloud, "gpt-4o-mini", False)], prices, None, None)
    assert plain.usage == billed.usage and plain.cost_usd > 0
    # The check's GPU time as the simulator reported it is the check's cost; the baseline is the cloud's.
    assert plain.baseline_cost_usd == pytest.approx(cloud_only.baseline_pico / 1e12)
    assert plain.cost_usd > cloud_only.cost_pico / 1e12
    shown = report.second_line
    assert (shown.checked, shown.input_tokens, shown.output_tokens) == (
        1,
        check["prompt_tokens"],
        check["completion_tokens"],
    )
    assert shown.cost_usd == pytest.approx(plain.cost_usd - cloud_only.cost_pico / 1e12, abs=1e-12)
    assert report.cost_usd == pytest.approx(plain.cost_usd)
    printed = CliRunner().invoke(cli, ["report", batch_id], env=line.settings.worker_environment())
    assert printed.exit_code == 0, printed.output
    shown_line = " ".join(printed.output.split())
    assert (
        "second line: 1 cloud-bound documents checked locally · kept local: 0 sensitive, 0 check"
        in shown_line
    )


def test_the_batch_api_route_is_checked_too(line: Line) -> None:
    batch_id = line.submit({"marked.txt": MARKED.format(n=3), "plain.txt": PLAIN.format(n=3)}, DAY_S)
    report, results = line.finish(batch_id)
    marked, plain = results["marked.txt"], results["plain.txt"]
    assert marked.route is RouteTarget.LOCAL and marked.route_reasons[-1] == "second_line: health"
    assert plain.route is RouteTarget.CLOUD_BATCH and plain.status is JobStatus.SUCCEEDED
    assert "second_line: clear" in plain.route_reasons
    sent = line.sent_to_cloud()
    assert "PLAIN-3" in sent and MARK not in sent and "MARKED-3" not in sent
    (check_of_plain,) = [c for c in line.checks() if "PLAIN-3" in json.dumps(c["messages"])]
    # the batch route's result bills the check too (at local rates) beside its batch-priced call
    assert plain.usage.input_tokens > check_of_plain["prompt_tokens"]  # type: ignore[operator]
    assert report.second_line.checked == 2


def test_an_answer_without_a_verdict_keeps_the_job_local_and_is_still_billed(line: Line) -> None:
    line.ollama.set_config(invalid_answers=1)  # the next JSON answer is "{}": no `sensitive` in it
    batch_id = line.submit({"plain.txt": PLAIN.format(n=4)})
    report, results = line.finish(batch_id)
    plain = results["plain.txt"]
    assert plain.route is RouteTarget.LOCAL and plain.status is JobStatus.SUCCEEDED
    assert plain.route_reasons[-1] == "second_line: unavailable (no JSON verdict in the answer)"
    assert "PLAIN-4" not in line.sent_to_cloud()
    assert report.second_line.kept_local_unparseable == 1 and report.second_line.input_tokens > 0
    task_call = [a for a in line.ollama.answered if "privacy screen" not in json.dumps(a["messages"])]
    assert plain.usage.input_tokens == report.second_line.input_tokens + task_call[0]["prompt_tokens"]  # type: ignore[operator]


def test_with_the_local_host_down_cloud_bound_jobs_stay_local_and_run_there_once_it_is_back(
    line: Line,
) -> None:
    port = line.ollama.port
    line.ollama.stop()
    batch_id = line.submit({"plain.txt": PLAIN.format(n=5)})

    job_id = job_id_of(batch_id, 1)

    def checked() -> bool:  # classify records the cloud route as pending; the check's stage decides it
        route = line.store.job(batch_id, job_id).route
        return route is not None and not check_pending(route)

    wait_until(checked, 60, "the job's check to decide its route")
    route = line.store.job(batch_id, job_id).route
    assert route is not None and route.target is RouteTarget.LOCAL
    assert route.reasons[-1] == "second_line: unavailable (connection)"
    line.ollama = OllamaSimulator(port=port, config=SimConfig(second_line_yes_markers=(f"{MARK}=health",)))
    line.ollama.start()
    report, results = line.finish(batch_id)
    assert (
        results["plain.txt"].route is RouteTarget.LOCAL and results["plain.txt"].status is JobStatus.SUCCEEDED
    )
    assert line.openai.requests == [] and "PLAIN-5" not in line.sent_to_cloud()
    assert report.second_line.kept_local_unavailable == 1 and report.second_line.checked == 0
    assert line.checks() == []  # nothing asked again: the route was decided


def test_the_check_asks_for_json_only_and_never_logs_the_document(line: Line, tmp_path: Path) -> None:
    batch_id = line.submit({"plain.txt": PLAIN.format(n=6), "marked.txt": MARKED.format(n=6)})
    line.finish(batch_id)
    sent = next(r for r in line.ollama.requests if SYSTEM_PROMPT[:40] in json.dumps(r))
    assert sent["format"]["required"] == ["sensitive", "categories"]  # type: ignore[index]
    assert sent["options"]["temperature"] == 0 and sent["options"]["num_predict"] == 64  # type: ignore[index]
    logs = "".join(w.log_path.read_text(errors="replace") for w in line.workers)
    assert "second_line_checked" in logs
    assert "PLAIN-6" not in logs and MARK not in logs and "Garden club" not in logs


# -- a local job falling back to the cloud is checked on its way out ----------------------------------------
@pytest.fixture(scope="module")
def fallback_line(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Line]:
    """Simple documents stay local by rule, and every local task call fails for good (the Ollama host does
    not serve the local model: 404, unknown model), so each job falls back to the cloud, which
    `fallback_local_to_cloud` allows. The second line asks another model, which the host does serve."""
    base = tmp_path_factory.mktemp("second-line-fallback")
    redis = RedisServer().start()
    markers = SimConfig(models=("qwen2.5:7b",), second_line_yes_markers=(f"{MARK}=health",))
    ollama, openai = OllamaSimulator(config=markers).start(), OpenAISimulator().start()
    routes = {
        "cloud_min_complexity": "complex",
        "local_only_sensitivity": [],
        "fallback_local_to_cloud": True,
    }
    config_dir = batch_config_dir(
        base / "configs", routes=routes, second_line={"enabled": "auto", "model": "qwen2.5:7b"}
    )
    settings = stack_settings(redis.url, ollama, openai, config_dir=config_dir)
    workers = start_workers(settings, base)
    state = Line(settings, ollama, openai, Store.from_url(redis.url), workers)
    yield state
    for worker in workers:
        worker.stop()
    state.store.redis.close()
    ollama.stop()
    openai.stop()
    redis.close()


def test_a_local_job_falling_back_to_the_cloud_is_checked_first(fallback_line: Line) -> None:
    line = fallback_line
    batch_id = line.submit({"marked.txt": MARKED.format(n=7), "plain.txt": PLAIN.format(n=7)})
    _, results = line.finish(batch_id)
    marked, plain = results["marked.txt"], results["plain.txt"]
    # cleared: it left, recorded as a fallback from local
    assert plain.status is JobStatus.SUCCEEDED and plain.route is RouteTarget.CLOUD
    assert plain.fallback_from is RouteTarget.LOCAL and "second_line: clear" in plain.route_reasons
    # a yes: it never left; it failed with the local route's error
    assert marked.status is JobStatus.FAILED and marked.route is RouteTarget.LOCAL
    assert marked.error is not None and marked.error.type == "unknown_model"
    sent = line.sent_to_cloud()
    assert "PLAIN-7" in sent and MARK not in sent and "MARKED-7" not in sent
    assert len(line.checks()) == 2
