"""How long Turnout keeps what it stores, on a real redis-server: document text while a job holds it,
records for the retention, everything of a batch gone at once with `turnout purge`.

Each test has a Redis of its own module (`own_redis`), so SCAN sees only what these tests wrote. The
retention here is short because it is a user-facing knob (TURNOUT_RETENTION_S), not a timeout the
system relies on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import pytest
import redis
from click.testing import CliRunner

from producer.cli import main
from producer.local_stack import RedisServer
from producer.purge import purge_batch, purge_older_than
from tests.integration.test_store import new_batch
from worker.schema import (
    Complexity,
    JobResult,
    JobStatus,
    Route,
    RouteTarget,
    Sensitivity,
    Tags,
    TaskKind,
    TaskSpec,
    Usage,
)
from worker.store import CostedResult, JobMissing, Store
from worker.store.batch_route import BatchState
from worker.store.keys import holders
from worker.store.lifecycle import Retention

TASK = TaskSpec(kind=TaskKind.SUMMARIZE)


@pytest.fixture
def client(own_redis: RedisServer) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(own_redis.url, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


def store_with(own_redis: RedisServer, **retention: float) -> Store:
    return Store.from_url(own_redis.url, retention=Retention(**retention))


def keys(client: redis.Redis, pattern: str = "*") -> list[str]:
    return sorted(client.scan_iter(match=pattern, count=1000))


def submit(store: Store, texts: list[str], *, seal: bool = True) -> str:
    """A batch of these texts, stored the way the producer stores them (sealed unless told not to)."""
    return new_batch(store, list(texts), seal=seal)


def finish(store: Store, batch_id: str, n: int, status: JobStatus = JobStatus.SUCCEEDED) -> None:
    """Record job `n`'s terminal result the way the workers do (pipeline.record_outcome)."""
    job = store.job(batch_id, f"{batch_id}.{n}")
    result = JobResult(
        job_id=job.job_id,
        batch_id=batch_id,
        source=job.source,
        status=status,
        route=RouteTarget.LOCAL,
        output="a summary" if status is JobStatus.SUCCEEDED else None,
        usage=Usage(input_tokens=10, output_tokens=5),
    )
    store.record_result(CostedResult(result, 7, 14), remember=(TASK, job.doc_key))


def wait_until(condition: Callable[[], bool], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_a_text_is_deleted_when_its_last_job_ends(own_redis: RedisServer, client: redis.Redis) -> None:
    store = store_with(own_redis)
    batch_id = submit(store, ["alpha " * 50, "alpha " * 50, "beta " * 50])
    finish(store, batch_id, 0)
    assert len(keys(client, "tn:doc:*")) == 2, "job 1 still holds the shared text"
    finish(store, batch_id, 1)
    finish(store, batch_id, 2, JobStatus.FAILED)
    assert keys(client, "tn:doc:*") == [] and keys(client, "{tn:doc:*") == []


def test_two_batches_share_a_text_until_both_are_done(own_redis: RedisServer, client: redis.Redis) -> None:
    store = store_with(own_redis)
    first, second = submit(store, ["shared " * 50]), submit(store, ["shared " * 50])
    finish(store, first, 0)
    [doc_key] = keys(client, "tn:doc:*")
    assert client.smembers(holders(doc_key)) == {f"{second}.0"}
    assert store.text(doc_key) == "shared " * 50  # the second batch's job can still run
    finish(store, second, 0)
    assert keys(client, "tn:doc:*") == []


def test_a_text_is_kept_for_document_keep_s_then_goes(own_redis: RedisServer, client: redis.Redis) -> None:
    store = store_with(own_redis, document_keep_s=1.0)
    batch_id = submit(store, ["kept " * 50])
    finish(store, batch_id, 0)
    [doc_key] = keys(client, "tn:doc:*")
    assert 0 < client.pttl(doc_key) <= 1000
    wait_until(lambda: not client.exists(doc_key))


def test_a_kept_text_submitted_again_is_held_for_good(own_redis: RedisServer, client: redis.Redis) -> None:
    """A new job of a text in its keep time must not lose the text when the keep time runs out."""
    store = store_with(own_redis, document_keep_s=60.0)
    first = submit(store, ["again " * 50])
    finish(store, first, 0)
    [doc_key] = keys(client, "tn:doc:*")
    assert client.pttl(doc_key) > 0
    submit(store, ["again " * 50])
    assert client.pttl(doc_key) == -1  # no expiry: a job holds it


def test_records_expire_after_the_retention_and_reuse_works_within_it(
    own_redis: RedisServer, client: redis.Redis
) -> None:
    """After a finished batch plus its retention, SCAN finds nothing of it: no text, no job, no result,
    no reuse entry. Within the retention, the same document and task reuse the result without its text
    coming back."""
    store = store_with(own_redis, retention_s=3.0)
    batch_id = submit(store, ["reuse me " * 50, "other " * 50])
    finish(store, batch_id, 0)
    finish(store, batch_id, 1)
    assert store.manifest(batch_id).finished_at is not None
    assert keys(client, "tn:doc:*") == []  # text gone at once; records kept for the retention
    doc_key = Store.doc_key("reuse me " * 50)
    [reused] = store.find_done(TASK, [doc_key])
    assert reused is not None and reused.job_id == f"{batch_id}.0"
    assert keys(client, "tn:doc:*") == [], "reuse reads the result, never the text"
    wait_until(lambda: keys(client) == [] or keys(client) == ["tn:batches"], timeout_s=30)
    assert store.find_done(TASK, [doc_key]) == [None]


def test_purge_removes_a_batch_at_once_and_keeps_what_another_batch_needs(
    own_redis: RedisServer, client: redis.Redis
) -> None:
    store = store_with(own_redis)
    done = submit(store, ["shared " * 50, "only mine " * 50, "again " * 50])
    running = submit(store, ["shared " * 50])
    for n in range(3):
        finish(store, done, n)
    # a checkpoint and batch-route state of the finished batch, as the workers leave them
    client.hset(f"tn:{{{done}}}:calls:{done}.0", "c0", "{}")
    client.hset(f"tn:{{{done}}}:cb:flush", "groups", 1)
    store.note_retry(done, f"{done}.1", '{"kind": "server_error"}')  # a retry note (worker/retry_notes.py)
    assert any(done in key for key in keys(client))

    purged = purge_batch(store, done)

    assert [key for key in keys(client) if done in key] == []
    assert client.zscore("tn:batches", done) is None
    assert purged.jobs == 3 and purged.results == 3 and purged.reuse_entries == 3
    assert keys(client, "tn:done:*") == []
    # the shared text is the running batch's to let go of
    assert keys(client, "tn:doc:*") == [Store.doc_key("shared " * 50)]
    assert store.text(Store.doc_key("shared " * 50)) == "shared " * 50
    assert client.smembers(holders(Store.doc_key("shared " * 50))) == {f"{running}.0"}
    with pytest.raises(KeyError):
        purge_batch(store, done)


def test_retry_notes_live_no_longer_than_the_retention(own_redis: RedisServer, client: redis.Redis) -> None:
    store = store_with(own_redis, retention_s=3600)
    batch_id = submit(store, ["one " * 50], seal=False)  # a batch that never ends: its notes still go
    store.note_retry(batch_id, f"{batch_id}.0", '{"kind": "server_error"}')
    ttl_ms = client.pttl(f"tn:{{{batch_id}}}:retrying")
    assert 3_500_000 < ttl_ms <= 3_600_000


def test_purging_a_running_batch_deletes_its_texts(own_redis: RedisServer, client: redis.Redis) -> None:
    store = store_with(own_redis)
    running = submit(store, ["one " * 50, "two " * 50], seal=False)
    purged = purge_batch(store, running)
    assert purged.documents == 2 and keys(client) == []


def test_purge_older_than_skips_running_batches(own_redis: RedisServer, client: redis.Redis) -> None:
    store = store_with(own_redis)
    old_done, old_running = submit(store, ["x " * 50]), submit(store, ["y " * 50])
    finish(store, old_done, 0)
    purged = purge_older_than(store, 3600.0, now=time.time() + 7200)
    assert purged.batches == [old_done] and purged.unfinished == [old_running]
    assert [key for key in keys(client) if old_done in key] == []
    assert store.manifest(old_running).finished_at is None


def test_purge_command_asks_for_yes_then_says_what_it_removed(
    own_redis: RedisServer, client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = store_with(own_redis)
    batch_id = submit(store, ["cli " * 50])
    finish(store, batch_id, 0)
    monkeypatch.setenv("TURNOUT_BROKER_URL", own_redis.url)
    runner = CliRunner()

    refused = runner.invoke(main, ["purge", batch_id])
    assert refused.exit_code == 1 and "add --yes" in refused.output
    assert store.manifest(batch_id) is not None

    done = runner.invoke(main, ["purge", batch_id, "--yes", "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout) | {"keys": 0} == {
        "batches": [batch_id],
        "jobs": 1,
        "results": 1,
        "documents": 0,  # its text went when its job ended
        "reuse_entries": 1,
        "keys": 0,
        "unfinished": [],
    }
    assert [key for key in keys(client) if batch_id in key] == []
    again = runner.invoke(main, ["purge", batch_id, "--yes"])
    assert again.exit_code == 1 and "no batch" in again.output
    assert runner.invoke(main, ["purge"]).exit_code == 2


def test_a_worker_in_flight_writes_nothing_of_a_purged_batch(
    own_redis: RedisServer, client: redis.Redis
) -> None:
    """Every write a worker may still make for a job after its batch was purged (its result, its record's
    fields, counters, checkpoints, retry notes, the batch route's state and answers) brings nothing back."""
    store = store_with(own_redis)
    batch_id = submit(store, ["in flight " * 50, "queued " * 50], seal=False)
    job_id = f"{batch_id}.0"
    assert store.holds.hold(batch_id, job_id, 0, "worker-1", "summarize", "")
    purge_batch(store, batch_id)
    assert keys(client) == [], "the purge leaves nothing, the work list included"

    assert not store.holds.hold(batch_id, f"{batch_id}.1", 0, "worker-2", "summarize", "")
    assert store.open_execution(batch_id, job_id, 5).job is None
    with pytest.raises(JobMissing):
        store.open_classify(batch_id, job_id, None)
    route = Route(target=RouteTarget.LOCAL, model="m")
    tags = Tags(
        sensitivity=Sensitivity.PUBLIC,
        complexity=Complexity.SIMPLE,
        complexity_score=0.1,
        classifier_version="t",
    )
    store.set_routed(batch_id, job_id, tags, route, cloud_allowed=True)
    store.reroute(batch_id, job_id, route)
    store.start_attempt(batch_id, job_id)
    store.cancel_attempt(batch_id, job_id)
    store.cancel_delivery(batch_id, job_id)
    store.waited_for_backend_s(batch_id, job_id)
    store.waited_for_budget_s(batch_id, job_id)
    store.save_answered_calls(batch_id, job_id, {"c0": '{"answer": "from the document"}'})
    store.record_check(batch_id, job_id, "check", "{}", {"second_line:checks": 1})
    store.count(batch_id, "fallbacks")
    store.note_retry(batch_id, job_id, '{"kind": "server_error"}')
    store.note_retries(batch_id, [job_id], '{"kind": "server_error"}')
    state = BatchState(store.redis)
    state.record_flush_tick(batch_id, 1, time.time())
    state.update_group(batch_id, "g0001", state="completed")
    state.keep_group_jobs(batch_id, "g0001", [job_id])
    state.save_answers(batch_id, {job_id: ("c0", '{"answer": "from the document"}')})
    result = JobResult(
        job_id=job_id,
        batch_id=batch_id,
        source="a.txt",
        status=JobStatus.SUCCEEDED,
        route=RouteTarget.LOCAL,
        output="a summary",
        usage=Usage(input_tokens=10, output_tokens=5),
    )
    doc_key = Store.doc_key("in flight " * 50)
    assert not store.record_result(CostedResult(result, 7, 14), remember=(TASK, doc_key))

    assert keys(client) == []
