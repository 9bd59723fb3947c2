"""`turnout compare`: a sample of your own documents through the local and cloud models side by side
(producer/compare/ does the work; docs/compare.md)."""

from __future__ import annotations

import click

from producer.cli.common import echo_result, err_console, friendly_errors, settings_or_exit
from producer.cli.options import TaskArgs, task_options
from producer.compare.agreement import DEFAULT_SUMMARY_THRESHOLD  # light: stdlib and worker.schema

DEFAULT_SAMPLE = 100


@click.command("compare")
@click.argument("paths", nargs=-1, required=True)
@task_options
@click.option(
    "--sample",
    "sample_size",
    type=click.IntRange(min=0),
    default=DEFAULT_SAMPLE,
    show_default=True,
    help="Compare this many documents, drawn reproducibly (by --seed); 0 compares every document.",
)
@click.option(
    "--models",
    "local_models",
    default="",
    help="Local model(s) to compare, comma-separated. Default: models.local of configs/routing.yaml. "
    "The recommendation is for the first; two or more also compare the documents held back from the cloud.",
)
@click.option(
    "--cloud-model", default=None, help="The cloud model. Default: models.cloud of configs/routing.yaml."
)
@click.option(
    "--target-agreement",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=0.9,
    show_default=True,
    help="The agreement with the cloud answers the recommended threshold must keep (0..1).",
)
@click.option(
    "--summary-threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=DEFAULT_SUMMARY_THRESHOLD,
    show_default=True,
    help="summarize/custom: the ROUGE-L F1 at which two answers count as agreeing.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Which reproducible sample to draw.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object on stdout.")
@friendly_errors
def compare(
    paths: tuple[str, ...],
    task_args: TaskArgs,
    sample_size: int,
    local_models: str,
    cloud_model: str | None,
    target_agreement: float,
    summary_threshold: float,
    seed: int,
    as_json: bool,
) -> None:
    """Run a sample of PATHS through the local model(s) and the cloud model side by side.

    Reports per complexity bucket how often the local answer agrees with the cloud answer (task-aware:
    fields for extract, the label for classify, ROUGE-L for summaries) and what each cost; documents
    the policy keeps off the cloud are never sent there. Ends with the routes.cloud_min_score for
    configs/routing.yaml that keeps --target-agreement with the fewest cloud jobs. The answers cost
    what they cost: both sides are really called (or simulated when no backend is configured).
    """
    from producer.compare.main import run_compare
    from producer.compare.render import render_text
    from producer.interrupts import exit_cleanly_on_sigterm
    from producer.local_stack import StackError

    exit_cleanly_on_sigterm()
    settings = settings_or_exit()
    try:
        report = run_compare(
            settings,
            paths,
            task_args,
            local_models=local_models,
            cloud_model=cloud_model,
            sample_size=sample_size or None,
            seed=seed,
            target=target_agreement,
            summary_threshold=summary_threshold,
            console=err_console,
        )
    except StackError as exc:
        raise click.ClickException(str(exc)) from None
    echo_result(report, render_text, as_json)
