"""The routing policy a document command uses: with `--cloud-share` (or routes.cloud_share), its
complexity threshold calibrated on the batch's own documents."""

from __future__ import annotations

from dataclasses import replace

import click

from producer.cli.common import err_console
from producer.cli.options import TaskArgs
from worker.schema import TaskSpec
from worker.settings import Settings


def calibrate_for(
    settings: Settings, task_args: TaskArgs, paths: tuple[str, ...], task: TaskSpec, share: float | None
):  # type: ignore[no-untyped-def]
    """The batch's calibrated threshold for `--cloud-share` (or routes.cloud_share), or None when neither."""
    from producer.calibrate import calibrate_cloud_share
    from producer.render import shown_threshold
    from worker.runtime import Policies

    policies = Policies.load(settings)
    share = share if share is not None else policies.routing.routes.cloud_share
    if share is None:
        return None
    if "-" in paths:
        # Calibration reads the documents once before they are submitted; stdin can be read only once.
        raise click.UsageError(
            "--cloud-share (or routes.cloud_share) reads the inputs twice: give files, not '-'"
        )
    err_console.print(f"calibrating the cloud share ({share:.0%}) on the batch's documents...")
    calibration = calibrate_cloud_share(
        task_args.documents(paths, settings),
        task,
        share,
        policies.classifier,
        policies.routing,
        floor=task_args.floor_level(),
    )
    err_console.print(
        f"cloud share {share:.0%}: complexity threshold {shown_threshold(calibration.threshold)}, set from "
        f"{calibration.cloud_allowed:,} cloud-allowed of {calibration.sampled:,} sampled documents "
        f"({calibration.expected_share:.1%} of them at or above it)",
        highlight=False,
    )
    return calibration


def preview_policies(
    settings: Settings, task_args: TaskArgs, paths: tuple[str, ...], task: TaskSpec, share: float | None
):  # type: ignore[no-untyped-def]
    """The policies an offline preview (classify, estimate) routes with: with `--cloud-share` (or
    routes.cloud_share), the threshold a batch of these documents would be calibrated to, as
    routes.cloud_min_score."""
    from worker.runtime import Policies

    policies = Policies.load(settings)
    calibration = calibrate_for(settings, task_args, paths, task, share)
    if calibration is None:
        return policies
    routes = policies.routing.routes.model_copy(update={"cloud_min_score": calibration.threshold})
    return replace(policies, routing=policies.routing.model_copy(update={"routes": routes}))
