"""The Redis store on a real redis-server: results recorded once, counters exact, text stored once."""

from __future__ import annotations

import secrets

from worker.schema import JobResult, JobStatus, RouteTarget, TaskKind, TaskSpec, Usage
from worker.store import CostedResult, NewJob, Store, keys


def new_batch(store: Store, texts: list[str | None], *, seal: bool = True) -> str:
    batch_id = "t-" + secrets.token_hex(4)
    store.create_batch(batch_id, TaskSpec(kind=TaskKind.SUMMARIZE))
    store.add_jobs(
        batch_id,
        [NewJob(job_id=f"{batch_id}.{i}", source=f"doc{i}", text=t) for i, t in enumerate(texts)],
    )
    if seal:
        store.seal_batch(batch_id, len(texts))
    return batch_id


def succeeded(batch_id: str, n: int, cost_pico: int) -> CostedResult:
    result = JobResult(
        job_id=f"{batch_id}.{n}",
        batch_id=batch_id,
        source=f"doc{n}",
        status=JobStatus.SUCCEEDED,
        route=RouteTarget.LOCAL,
        usage=Usage(input_tokens=10, output_tokens=5),
        cost_usd=cost_pico / 1e12,
    )
    return CostedResult(result, cost_pico, 2 * cost_pico)


def test_identical_documents_are_stored_once(store: Store) -> None:
    batch_id = new_batch(store, ["same text", "same text", "other"])
    first, second = store.job(batch_id, f"{batch_id}.0"), store.job(batch_id, f"{batch_id}.1")
    assert first.doc_key == second.doc_key
    assert store.text(first.doc_key) == "same text"


def test_a_result_is_recorded_once_and_counted_once(store: Store) -> None:
    batch_id = new_batch(store, ["a", "b"])
    assert store.record_result(succeeded(batch_id, 0, 1_000)) is True
    assert store.record_result(succeeded(batch_id, 0, 1_000)) is False  # a re-delivery
    report = store.report(batch_id)
    assert report.succeeded == 1 and report.pending == 1 and not report.done
    assert report.by_route["local"].jobs == 1
    assert report.by_route["local"].input_tokens == 10
    assert report.cost_usd == 1_000 / 1e12


def test_batch_is_done_when_every_job_is_terminal(store: Store) -> None:
    batch_id = new_batch(store, ["a", "b"])
    store.record_result(succeeded(batch_id, 0, 7))
    store.record_result(succeeded(batch_id, 1, 11))
    report = store.report(batch_id)
    assert report.done and report.pending == 0
    assert report.cost_usd == 18 / 1e12 and report.baseline_cost_usd == 36 / 1e12
    assert report.savings_pct == 50.0


def test_results_stream_in_submission_order(store: Store) -> None:
    batch_id = new_batch(store, [f"t{i}" for i in range(1200)])
    for n in reversed(range(1200)):
        store.record_result(succeeded(batch_id, n, 1))
    assert [r.source for r in store.iter_results(batch_id)] == [f"doc{i}" for i in range(1200)]


def test_every_state_change_is_an_event(store: Store) -> None:
    batch_id = new_batch(store, ["a"])
    store.start_attempt(batch_id, f"{batch_id}.0")
    store.record_result(succeeded(batch_id, 0, 1))
    events = store.redis.xrange(keys.events(batch_id))
    assert [e[1]["status"] for e in events] == ["running", "succeeded"]
    assert all(set(e[1]) <= {"job_id", "status", "route"} for e in events)  # ids, never text


def test_a_sealed_empty_batch_is_done(store: Store) -> None:
    batch_id = new_batch(store, [])
    assert store.report(batch_id).done
