"""The second line for real: llama.cpp's server (SmolLM2-135M) checks every cloud-bound document on the
local route before it may leave, through real Celery workers.

SmolLM2-135M is weak: it may call a bakery's opening sensitive and a pay leak clear. These tests assert the
protocol, not the judgement: each cloud-bound document is checked once, with the question and the caps
Turnout means to send; the route follows the server's answer exactly as worker/second_line.py reads it
(a yes or an unreadable answer keeps the job local, with the reason); what was kept local never reached
the cloud side; the check's usage is the server's and is billed. A timeout and a host that is down keep
the job local too (fail closed), against the real server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import SecretStr

from producer.loaders import LoadedDocument
from producer.local_stack import RedisServer, free_port, wait_until
from producer.submit import submit_batch
from tests.conftest import start_workers
from tests.real.configs import tier_configs
from tests.real.proxy import Exchange, RecordingProxy
from tests.real.server import LlamaServer
from worker.celery_app import create_app
from worker.runtime import build_runtime
from worker.schema import (
    BatchReport,
    Complexity,
    JobMessage,
    JobResult,
    Route,
    RouteTarget,
    Sensitivity,
    Tags,
    TaskKind,
    TaskSpec,
)
from worker.second_line import SYSTEM_PROMPT, parse_verdict, unavailable_reason, verdict_reason
from worker.settings import Settings
from worker.store import Store, keys

pytestmark = [pytest.mark.integration, pytest.mark.real]

# Public to the rules (nothing_found), so routed to the cloud here; the last two are what rules miss.
DOCUMENTS = {
    "bakery.txt": "Sunrise Bakery opens its second shop on Main Street in Springfield on 12 May 2026. The new "
    "shop sells bread, pastries and coffee every day from 7 am.",
    "garden.txt": "Garden club notes: we meet on Saturday to plan the spring planting. Bring seeds.",
    "raise.txt": "Between us: the new package for the team lead is twenty percent above the band, and the "
    "other offer is frozen until the review.",
    "counsel.txt": "Our lawyers advise that we settle before the hearing; in their view the contract clause "
    "will not hold if the supplier sues.",
}
CHECK_CAP = 64  # second_line.max_output_tokens, shipped


def is_check(exchange: Exchange) -> bool:
    return SYSTEM_PROMPT[:30] in json.dumps(exchange.request.get("messages"))


@dataclass
class Checked:
    report: BatchReport
    results: dict[str, JobResult]
    checks: list[Exchange]  # every check call the local route sent, refused ones included
    cloud: list[Exchange]


@pytest.fixture(scope="module")
def checked(
    llama_server: LlamaServer, own_redis: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Checked]:
    local = RecordingProxy(llama_server.url).start()
    cloud = RecordingProxy(llama_server.url).start()
    settings = Settings(
        broker_url=own_redis.url,
        config_dir=tier_configs(tmp_path_factory.mktemp("real-second") / "configs", {"enabled": "auto"}),
        local_openai_hosts=(f"{local.url}/v1",),
        local_openai_parallel=1,
        openai_base_url=f"{cloud.url}/v1",
        openai_api_key=SecretStr("sk-real-tier"),
        cloud_concurrency=1,
        classify_concurrency=1,
        log_format="json",
    )
    workers = start_workers(settings, tmp_path_factory.mktemp("real-second-workers"))
    store = Store.from_url(own_redis.url)
    try:
        loaded = [LoadedDocument(source=n, text=t, metadata={}) for n, t in DOCUMENTS.items()]
        task = TaskSpec(kind=TaskKind.SUMMARIZE)
        batch_id = submit_batch(store, create_app(settings), loaded, task, force=True).batch_id
        wait_until(lambda: store.report(batch_id).done, 600, "the batch to finish")
        results = {r.source: r for r in store.iter_results(batch_id)}
        checks = [e for e in local.chats() if is_check(e)]
        yield Checked(store.report(batch_id), results, checks, cloud.chats())
    finally:
        for worker in workers:
            worker.stop()
        store.redis.close()
        local.stop()
        cloud.stop()


def answered(checked: Checked) -> dict[str, Exchange]:
    """Each document's answered check, by source (the document's first words are in its check)."""
    found: dict[str, Exchange] = {}
    for exchange in checked.checks:
        if exchange.answered_chat:
            source = next(s for s, t in DOCUMENTS.items() if t[:40] in json.dumps(exchange.request))
            assert source not in found, f"{source} was checked twice"
            found[source] = exchange
    return found


def test_every_cloud_bound_document_is_checked_once_with_the_question_and_caps_meant(
    checked: Checked,
) -> None:
    by_source = answered(checked)
    assert sorted(by_source) == sorted(DOCUMENTS)
    for exchange in checked.checks:
        sent = exchange.request
        assert sent["max_tokens"] == CHECK_CAP and sent["temperature"] == 0
        assert sent["messages"][0]["content"].startswith(SYSTEM_PROMPT[:60])
        assert "<document>" in sent["messages"][1]["content"]
        fmt = sent.get("response_format") or {}
        # llama.cpp refuses `json_schema` (500) once; JSON mode with the schema in the prompt from then on
        assert fmt.get("type") in ("json_schema", "json_object"), fmt
        if fmt.get("type") == "json_schema":
            assert exchange.status == 500


def test_each_route_follows_the_servers_answer_and_the_reason_says_why(checked: Checked) -> None:
    for source, exchange in answered(checked).items():
        result = checked.results[source]
        verdict = parse_verdict(exchange.response["choices"][0]["message"]["content"] or "")
        said = [r for r in result.route_reasons if r.startswith("second_line: ")]
        if verdict is None:
            assert result.route is RouteTarget.LOCAL
            assert said == [unavailable_reason("no JSON verdict in the answer")], source
        elif verdict.sensitive:
            assert result.route is RouteTarget.LOCAL and said == [verdict_reason(verdict)], source
        else:
            assert RouteTarget.CLOUD in (result.route, result.fallback_from) and said == [
                "second_line: clear"
            ], source
        assert result.status.value in ("succeeded", "failed")


def test_nothing_the_second_line_kept_local_reached_the_cloud_side(checked: Checked) -> None:
    sent = json.dumps([e.request for e in checked.cloud])
    for source, result in checked.results.items():
        first_words = DOCUMENTS[source][:40]
        if result.route is RouteTarget.LOCAL:
            assert first_words not in sent, source
        else:
            assert sum(first_words in json.dumps(e.request) for e in checked.cloud) >= 1, source


def test_the_checks_usage_is_the_servers_and_billed_to_the_job_and_the_report(checked: Checked) -> None:
    by_source = answered(checked)
    reported = {s: e.response["usage"] for s, e in by_source.items()}
    for source, usage in reported.items():
        result = checked.results[source]
        assert result.usage.input_tokens >= usage["prompt_tokens"] and result.cost_usd > 0, source
    shown = checked.report.second_line
    assert shown.checked == len(by_source)
    assert shown.input_tokens == sum(u["prompt_tokens"] for u in reported.values())
    assert shown.output_tokens == sum(u["completion_tokens"] for u in reported.values())
    assert 0 < shown.output_tokens <= CHECK_CAP * len(by_source) and shown.cost_usd > 0
    assert shown.mean_latency_ms is not None and shown.mean_latency_ms > 0


# -- fail closed, against the real server (in process: the same function the classify stage calls) ------
def _screen_once(settings: Settings, text: str) -> tuple[Route, dict[str, str]]:
    from worker.second_line_check import screen

    rt = build_runtime(settings)
    try:
        batch_id = f"fail-closed-{free_port()}"
        message = JobMessage(job_id=f"{batch_id}.000001", batch_id=batch_id)
        # A batch that exists: the store writes nothing for a batch that is gone (purged), counters included.
        rt.store.create_batch(message.batch_id, TaskSpec(kind=TaskKind.SUMMARIZE))
        tags = Tags(
            sensitivity=Sensitivity.PUBLIC,
            complexity=Complexity.SIMPLE,
            complexity_score=0.1,
            classifier_version="t",
        )
        cloud = Route(target=RouteTarget.CLOUD, model="gpt-4o-mini", reasons=("complexity:simple",))
        route = screen(rt, message, text, tags, cloud)
        return route, rt.store.redis.hgetall(keys.counters(message.batch_id))
    finally:
        rt.close()


def test_a_check_that_times_out_on_the_real_server_keeps_the_job_local(
    llama_server: LlamaServer, own_redis: RedisServer, tmp_path: Path
) -> None:
    """The check's own timeout, set far below what the model needs, so the real server is too slow."""
    configs = tier_configs(tmp_path / "configs", {"enabled": True, "timeout_s": 0.001})
    settings = Settings(
        broker_url=own_redis.url, config_dir=configs, local_openai_hosts=(f"{llama_server.url}/v1",)
    )
    route, counters = _screen_once(settings, DOCUMENTS["raise.txt"])
    assert route.target is RouteTarget.LOCAL and route.reasons[-1] == "second_line: unavailable (timeout)"
    assert int(counters["second_line:unavailable"]) >= 1


def test_a_local_host_that_is_down_keeps_the_job_local(own_redis: RedisServer, tmp_path: Path) -> None:
    settings = Settings(
        broker_url=own_redis.url,
        config_dir=tier_configs(tmp_path / "configs", {"enabled": "auto"}),
        local_openai_hosts=(f"http://127.0.0.1:{free_port()}/v1",),  # nothing listens there
    )
    route, _ = _screen_once(settings, DOCUMENTS["garden.txt"])
    assert route.target is RouteTarget.LOCAL and route.reasons[-1] == "second_line: unavailable (connection)"
