"""`--cloud-share` on real parts: the batch's threshold is calibrated, used by the classify workers, and
the report shows the share achieved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from producer.calibrate import calibrate_cloud_share
from producer.local_stack import wait_until
from producer.submit import submit_batch
from tests.conftest import REPO_ROOT, Stack
from tests.integration.test_run_cli import run_cli
from tests.unit.test_cloud_share import corpus
from worker.privacy import NEVER_TO_CLOUD
from worker.runtime import Policies
from worker.schema import RouteTarget, TaskKind, TaskSpec

pytestmark = pytest.mark.integration


def test_the_batch_gets_the_share_it_asked_for(stack: Stack) -> None:
    task = TaskSpec(kind=TaskKind.SUMMARIZE)
    policies = Policies.load(stack.settings)
    documents = corpus(40, seed=11)
    calibration = calibrate_cloud_share(documents, task, 0.3, policies.classifier, policies.routing)
    summary = submit_batch(stack.store, stack.app, documents, task, force=True, cloud_share=calibration)
    wait_until(lambda: stack.store.report(summary.batch_id).done, 120, "the batch to finish")

    report = stack.store.report(summary.batch_id)
    share = report.cloud_share
    assert share.target == 0.3
    assert share.threshold == round(calibration.threshold, 6)
    # Every document was in the sample, so the workers route exactly as the calibration predicted.
    assert share.cloud_allowed_jobs == calibration.cloud_allowed
    assert share.achieved == calibration.expected_share
    assert abs(share.achieved - 0.3) <= 0.1  # about: equal scores go to one side together

    results = list(stack.store.iter_results(summary.batch_id))
    cloud = [r for r in results if r.route is RouteTarget.CLOUD]
    assert len(cloud) == share.cloud_jobs
    for result in results:
        if result.sensitivity in NEVER_TO_CLOUD:
            assert result.route is RouteTarget.LOCAL
    for result in cloud:
        assert any("batch cloud share" in reason for reason in result.route_reasons)


def test_turnout_run_with_cloud_share_reports_the_calibration(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    args = ("run", str(REPO_ROOT / "examples"), "--cloud-share", "0.5", "--json", "--output", str(output))
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    share = report["cloud_share"]
    assert share["target"] == 0.5
    assert 0.0 <= share["threshold"] <= 1.0
    assert share["cloud_allowed_jobs"] > 0
    # The short examples tie on their score, and a group of equal scores can't be split: the share is
    # the one nearest half that whole groups allow (not all of them, which taking the tie would give).
    assert 0.2 <= share["achieved"] <= 0.5
    assert "complexity threshold" in done.stderr
