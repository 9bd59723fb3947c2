"""`turnout run`: a batch end to end on this machine (producer/run.py starts what it needs)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import click

from producer.cli.common import err_console, friendly_errors, settings_or_exit, submission_failed
from producer.cli.options import TaskArgs, cloud_share_option, deadline_option, max_cost_option, task_options
from producer.cli.policies import calibrate_for


@click.command()
@click.argument("paths", nargs=-1, required=True)
@task_options
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the JSONL results (default: BATCH.results.jsonl).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the final report as one JSON object on stdout.")
@click.option("--timeout-s", type=float, default=None, help="Give up waiting after this many seconds.")
@deadline_option
@cloud_share_option
@max_cost_option
@friendly_errors
def run(
    paths: tuple[str, ...],
    task_args: TaskArgs,
    output: Path | None,
    as_json: bool,
    timeout_s: float | None,
    deadline_s: float | None,
    cloud_share: float | None,
    max_cost_usd: Decimal | None,
) -> None:
    """Process PATHS end to end on this machine and print the report.

    Starts an embedded Redis when TURNOUT_BROKER_URL is unset, the three worker pools as real Celery
    worker processes, and simulated backends when neither Ollama nor an OpenAI API is configured.
    """
    from producer.interrupts import exit_cleanly_on_sigterm, stop_if_terminated
    from producer.run import run_batch
    from worker.logging import configure_logging

    settings = settings_or_exit()
    configure_logging(settings.log_format, "warning")
    exit_cleanly_on_sigterm()
    from producer.submit import SubmitError

    task = task_args.task()
    try:
        outcome = run_batch(
            settings,
            task_args.documents(paths, settings),
            task,
            console=err_console,
            output=output,
            floor=task_args.floor_level(),
            timeout_s=timeout_s,
            deadline_s=deadline_s,
            cloud_share=calibrate_for(settings, task_args, paths, task, cloud_share),
            max_cost_usd=max_cost_usd,
            inputs=paths,
            text_field=task_args.text_field,
        )
    except SubmitError as exc:  # e.g. every input rejected: nothing to run
        submission_failed(exc, as_json)
    stop_if_terminated()  # a SIGTERM whose exit some library swallowed still ends the command as one
    if as_json and outcome.budget is not None:  # docs/budgets.md
        shown = outcome.report.model_dump(mode="json", exclude={"pending", "done"})
        click.echo(json.dumps({**shown, "budget": outcome.budget.as_json()}))
    elif as_json:
        click.echo(outcome.report.model_dump_json(exclude={"pending", "done"}))
