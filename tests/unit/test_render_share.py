"""The report's cloud-share line says what was routed to the cloud and what ran locally after it failed."""

from __future__ import annotations

from producer.render import cloud_share_line
from worker.schema import BatchReport, CloudShare, RouteTotals


def report(local_jobs: int, cloud_jobs: int, done: bool = True) -> BatchReport:
    def totals(jobs: int) -> RouteTotals:
        return RouteTotals(
            jobs=jobs, input_tokens=0, output_tokens=0, cost_usd=0, baseline_cost_usd=0, savings_usd=0
        )

    return BatchReport(
        batch_id="b",
        jobs=9,
        succeeded=9,
        failed=0,
        rejected=0,
        pending=0,
        by_route={"local": totals(local_jobs), "cloud": totals(cloud_jobs), "cloud-batch": totals(0)},
        cost_usd=0,
        baseline_cost_usd=0,
        savings_usd=0,
        savings_pct=0,
        duration_s=1,
        done=done,
        cloud_share=CloudShare(cloud_allowed_jobs=9, cloud_jobs=9, achieved=1.0),
    )


def test_jobs_routed_to_the_cloud_that_ran_locally_are_named() -> None:
    """Issue 15: every cloud call failed and fell back, and the line said "cloud share 9/9 (100%)"."""
    line = cloud_share_line(report(local_jobs=9, cloud_jobs=0))
    assert "9/9 cloud-allowed jobs routed to the cloud (100.0%)" in line
    assert line.endswith(", 9 of them ran locally after the cloud failed")


def test_a_batch_whose_cloud_jobs_ran_there_says_nothing_more() -> None:
    assert cloud_share_line(report(local_jobs=0, cloud_jobs=9)).endswith("(100.0%)")
    assert cloud_share_line(report(local_jobs=9, cloud_jobs=0, done=False)).endswith("(100.0%)")
