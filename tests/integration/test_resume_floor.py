"""A batch keeps its floor through a SIGKILL of its producer and a resume (issue 19, row 1).

The real `turnout submit --sensitivity restricted` is SIGKILLed at several points, then resumed with the
command it printed, exactly as printed (no `--sensitivity`). The documents are complex and carry nothing
sensitive: without the floor they would go to the cloud. Every job of the batch must still be tagged
restricted and run locally, and no request carrying any of them may reach the cloud simulator.

Where the producer is when it dies is made certain by a `-` path: it blocks reading standard input, after
the paths before it were read (and, from 500 documents on, stored), until it is killed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from producer.loaders import LoadedDocument
from producer.local_stack import wait_until
from producer.submission import CHUNK
from producer.submit import submit_batch
from tests.conftest import Stack
from tests.integration.producer_process import Producer, clean_env, run_printed_command
from worker.routing import Availability, decide
from worker.runtime import Policies
from worker.schema import RouteTarget, Sensitivity, TaskKind, TaskSpec

pytestmark = pytest.mark.integration


def analysis(marker: str) -> str:
    """A long, sectioned comparative analysis with no personal data: cloud-bound work without a floor."""
    section = (
        "## Region {n}\n\nCompare the three options for region {n} and evaluate the trade-offs between "
        "capital required, margin impact and service risk. Analyse how results change under a 15% volume "
        "swing, then reason about which option dominates on a risk-adjusted basis and why.\n\n"
        "| Option | Capex | Margin | Risk |\n|---|---|---|---|\n| Own | 12 | +1.5 | low |\n"
        "| Broker | 3 | +0.6 | medium |\n| Partner | 6 | +1.0 | medium |\n\n"
    )
    return f"# Strategy review {marker}: comparative analysis\n\n" + "".join(
        section.format(n=n) for n in range(6)
    )


def write_docs(folder: Path, count: int, run: str) -> list[str]:
    folder.mkdir(parents=True)
    markers = [f"{run}-{folder.name}-{i:04d}" for i in range(count)]
    for marker in markers:
        (folder / f"{marker}.md").write_text(analysis(marker))
    return markers


def jobs_stored(stack: Stack, batch_id: str, at_least: int) -> Callable[[], bool]:
    return lambda: stack.store.submitted_count(batch_id) >= at_least


def all_stored_jobs_sent(stack: Stack, batch_id: str, count: int) -> Callable[[], bool]:
    """The first `count` jobs stored, and none left unfinished by the producer: it has moved on."""
    return lambda: (
        stack.store.submitted_count(batch_id) >= count and not list(stack.store.unfinished_jobs(batch_id))
    )


# kill point -> (documents before the `-`, the condition to kill at, how many jobs are stored then)
KILL_POINTS: dict[str, tuple[int, Callable[[Stack, str], Callable[[], bool]], Callable[[int], bool]]] = {
    # The manifest exists; the first document waits in the unflushed chunk: no job is stored.
    "after_manifest": (1, lambda stack, batch_id: lambda: True, lambda stored: stored == 0),
    # As soon as the first chunk's jobs appear in the list: while its writes are still arriving (a cut
    # chunk), or while its jobs are being finished (reuse looked up, messages sent); timing decides.
    "mid_chunk": (
        CHUNK,
        lambda stack, batch_id: jobs_stored(stack, batch_id, 1),
        lambda stored: 0 < stored <= CHUNK,  # the chunk's writes may have been cut short themselves
    ),
    # A whole chunk stored and sent, the producer blocked before its last inputs: not sealed.
    "between_chunks": (
        CHUNK,
        lambda stack, batch_id: all_stored_jobs_sent(stack, batch_id, CHUNK),
        lambda stored: stored == CHUNK,
    ),
}


def test_without_the_floor_these_documents_would_go_to_the_cloud(stack: Stack) -> None:
    """The control: the floor, not the documents, is what keeps them local."""
    policies = Policies.load(stack.settings)
    task = TaskSpec(kind=TaskKind.SUMMARIZE)
    tags = policies.classifier.classify(analysis("control"), task=task, source="a.md", floor=None)
    route = decide(tags, policies.routing, Availability(local=True, cloud=True))
    assert tags.sensitivity is Sensitivity.PUBLIC
    assert route.target is RouteTarget.CLOUD


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_killed_and_resumed_submission_never_routes_a_job_below_its_floor(
    stack: Stack, tmp_path: Path, point: str
) -> None:
    before, kill_when, expected_stored = KILL_POINTS[point]
    run = uuid.uuid4().hex[:8]
    markers = write_docs(tmp_path / "first", before, run) + write_docs(tmp_path / "last", 3, run)
    stdin_marker = f"{run}-stdin"
    markers.append(stdin_marker)
    env = clean_env(stack.settings.broker_url)
    producer = Producer(["first/", "-", "last/", "--sensitivity", "restricted"], tmp_path, env)
    try:
        batch_id, command = producer.announced()
        wait_until(kill_when(stack, batch_id), 60, f"kill point {point}", interval_s=0.002)
    finally:
        producer.kill()
    stored_at_kill = stack.store.submitted_count(batch_id)
    assert expected_stored(stored_at_kill), stored_at_kill
    assert command == f"turnout submit --resume {batch_id}"  # nothing else: the batch has the rest
    assert not stack.store.report(batch_id).sealed

    refused = run_printed_command(f"{command} --sensitivity public", tmp_path, env)
    assert refused.returncode == 1
    assert "--sensitivity restricted (given: public)" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1

    resumed = run_printed_command(command, tmp_path, env, stdin=analysis(stdin_marker).encode())
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert resumed.stdout.strip() == batch_id
    wait_until(lambda: stack.store.report(batch_id).done, 240, f"batch {batch_id} to finish")

    results = list(stack.store.iter_results(batch_id))
    report = stack.store.report(batch_id)
    assert report.jobs == len(results) == len(markers), (point, stored_at_kill)
    assert (report.succeeded, report.failed, report.rejected) == (len(markers), 0, 0)
    assert sorted({m for r in results for m in markers if m in r.source}) == sorted(markers[:-1])
    for result in results:
        assert result.sensitivity is Sensitivity.RESTRICTED, (point, result.source)
        assert result.route is RouteTarget.LOCAL, (point, result.source)
        tags = stack.store.job(batch_id, result.job_id).tags
        assert tags is not None and "floor:restricted" in tags.reasons
    cloud_traffic = json.dumps(stack.openai.requests)
    assert run not in cloud_traffic  # not one document of the batch reached the closed API


def test_a_result_made_below_the_floor_is_not_reused_for_a_batch_with_the_floor(stack: Stack) -> None:
    """The same document and task ran in the cloud before, without a floor: a batch with
    `--sensitivity restricted` runs it again, locally, rather than take a public result as its own."""
    text = analysis(f"reuse-{uuid.uuid4().hex[:8]}")
    task = TaskSpec(kind=TaskKind.SUMMARIZE)
    earlier = submit_batch(stack.store, stack.app, [LoadedDocument("a.md", text)], task)
    wait_until(lambda: stack.store.report(earlier.batch_id).done, 60, "the batch without a floor")
    (before,) = stack.store.iter_results(earlier.batch_id)
    assert before.route is RouteTarget.CLOUD

    floored = submit_batch(
        stack.store, stack.app, [LoadedDocument("a.md", text)], task, floor=Sensitivity.RESTRICTED
    )
    assert floored.reused == 0
    wait_until(lambda: stack.store.report(floored.batch_id).done, 60, "the batch with the floor")
    (after,) = stack.store.iter_results(floored.batch_id)
    assert after.reused_from is None
    assert (after.sensitivity, after.route) == (Sensitivity.RESTRICTED, RouteTarget.LOCAL)

    again = submit_batch(
        stack.store, stack.app, [LoadedDocument("a.md", text)], task, floor=Sensitivity.INTERNAL
    )
    assert again.reused == 1  # a result made at or above the floor is reused as before
