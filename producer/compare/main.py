"""`turnout compare`: run a sample of your own documents through the local and cloud models side by side.

Reports, per complexity bucket, how often the local answer agrees with the cloud answer and what each
side cost, holds sensitive documents back from the cloud, and ends with the `routes.cloud_min_score`
that keeps agreement at the target with the fewest cloud jobs (docs/compare.md).

The entry point of the package: `run_compare` chooses the models, draws the sample, classifies it, runs
both sides and builds the report; the click command is producer/cli/compare.py. Everything heavy is
imported when it runs, so `turnout --help` stays fast.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from producer.compare.report import CompareReport
    from producer.compare.run import Comparison, DocumentRun, Models
    from worker.runtime import Policies
    from worker.schema import Tags
    from worker.settings import Settings

MAX_WORKERS = 16


def choose_models(policies: Policies, local: str, cloud: str | None, models_file: Path) -> Models:
    """The models to compare: --models (default: routing.yaml's local) and --cloud-model, all priced,
    the local ones licensed for this deployment (the same check a worker makes at start)."""
    from producer.compare.run import Models
    from worker.errors import ConfigError

    local_models = tuple(dict.fromkeys(m.strip() for m in local.split(",") if m.strip()))
    models = Models(
        local=local_models or (policies.routing.models.local,),
        cloud=(cloud or "").strip() or policies.routing.models.cloud,
    )
    if models.cloud in models.local:
        raise click.BadParameter(
            f"{models.cloud} is the cloud model; compare it with other models", param_hint="--models"
        )
    for model in (*models.local, models.cloud):
        policies.prices.price_of(model)  # a model without a price is an error before anything is sent
    for model in models.local:
        policies.models.check_local_license(model, models_file)
    if models.cloud not in policies.prices.cloud:
        raise ConfigError(f"--cloud-model {models.cloud!r} has no cloud price in configs/pricing.yaml")
    return models


def run_compare(
    settings: Settings,
    paths: tuple[str, ...],
    task_args: Any,
    *,
    local_models: str,
    cloud_model: str | None,
    sample_size: int | None,
    seed: int,
    target: float,
    summary_threshold: float,
    console: Any,
) -> CompareReport:
    """Sample, classify, run both sides and build the report (`task_args`: producer/cli/options.TaskArgs)."""
    import structlog

    from producer.calibrate import threshold_for_share
    from producer.compare.agreement import Measure
    from producer.compare.report import build_report
    from producer.compare.run import Comparison, Retry
    from producer.compare.sample import draw_sample
    from producer.compare.stack import compare_backends
    from producer.sensitivity_floor import document_floor
    from worker.logging import configure_logging
    from worker.routing import Availability, BatchHints, cloud_allowed, decide
    from worker.runtime import Policies
    from worker.schema import RouteTarget

    configure_logging(settings.log_format, "warning")
    policies = Policies.load(settings)
    task = task_args.task()
    models = choose_models(policies, local_models, cloud_model, settings.config_dir / "models.yaml")
    sample = draw_sample(task_args.documents(paths, settings), sample_size, seed)
    if not sample.documents:
        reasons = "; ".join(f"{r.source}: {r.reason}" for r in sample.rejected[:5])
        raise click.ClickException(f"no document to compare ({reasons or 'no input'})")
    floor = task_args.floor_level()
    jobs: list[tuple[Any, Tags]] = [
        (
            doc,
            policies.classifier.classify(
                doc.text, task=task, source=doc.source, floor=document_floor(doc, floor)
            ),
        )
        for doc in sample.documents
    ]
    measure = Measure(task, summary_threshold=summary_threshold)
    with compare_backends(settings, policies, console) as (live, backends):
        comparison = Comparison(
            policies=policies,
            task=task,
            models=models,
            local_backend=backends.local,
            cloud_backend=backends.cloud,
            measure=measure,
            retry=Retry(live.max_attempts, live.retry_backoff_s, live.retry_backoff_max_s),
            run_id=f"compare-{secrets.token_hex(4)}",
            workers=min(MAX_WORKERS, live.local_slot_count),
        )
        runs = _with_progress(comparison, jobs, console)
    available = Availability(local=True, cloud=True)  # where production would send each job
    # With routes.cloud_share set, every batch routes by its own calibrated threshold (which wins over
    # cloud_min_score): measure the current policy with the threshold a batch of this sample would get.
    share = policies.routing.routes.cloud_share
    hints = None
    if share is not None:
        scores = [t.complexity_score for _, t in jobs if cloud_allowed(t.sensitivity, policies.routing)]
        hints = BatchHints(task=task.kind, cloud_min_score=threshold_for_share(scores, share))
    report = build_report(
        task=task.kind.value,
        measure=measure,
        models=models,
        sample=sample,
        seed=seed,
        sample_size=sample_size,
        runs=runs,
        target=target,
        routes_to_cloud=lambda tags: (
            decide(tags, policies.routing, available, hints).target is not RouteTarget.LOCAL
        ),
        simulated=backends.simulated,
        cloud_share=share,
    )
    structlog.get_logger("turnout.compare").info(
        "compare_done",
        documents=len(runs),
        held_back=report.held_back.documents,
        failures=len(report.failures()),
        outcome=report.recommendation.outcome,
    )
    return report


def _with_progress(comparison: Comparison, jobs: list[tuple[Any, Tags]], console: Any) -> list[DocumentRun]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        bar = progress.add_task("comparing", total=len(jobs))
        return comparison.run(jobs, on_done=lambda _run: progress.advance(bar))
