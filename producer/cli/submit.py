"""`turnout submit`: a new batch for the running workers, or `--resume` to finish an interrupted one."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NoReturn

import click
import redis

from producer.cli.common import (
    err_console,
    friendly_errors,
    needs_broker,
    reachable_store,
    settings_or_exit,
    store_refused,
    submission_failed,
)
from producer.cli.options import TaskArgs, cloud_share_option, deadline_option, max_cost_option, task_options
from producer.cli.policies import calibrate_for
from worker.settings import Settings

if TYPE_CHECKING:
    from producer.submit import SubmitSummary


@click.command()
@click.argument("paths", nargs=-1)
@task_options
@click.option(
    "--json", "as_json", is_flag=True, help="Print {batch_id, jobs, reused, joined, rejected} as JSON."
)
@click.option(
    "--priority",
    type=click.Choice(["urgent", "normal", "bulk"]),
    default="normal",
    show_default=True,
    help="Queue priority of this batch: urgent batches overtake bulk ones.",
)
@click.option("--force", is_flag=True, help="Re-run documents already processed for the same task.")
@click.option(
    "--resume",
    "resume_batch",
    default=None,
    metavar="BATCH",
    help="Finish an interrupted submission of BATCH, with the paths and options it was submitted with "
    "(they are on the batch; an option given again must be the same).",
)
@deadline_option
@cloud_share_option
@max_cost_option
@friendly_errors
def submit(
    paths: tuple[str, ...],
    task_args: TaskArgs,
    as_json: bool,
    priority: str,
    force: bool,
    resume_batch: str | None,
    deadline_s: float | None,
    cloud_share: float | None,
    max_cost_usd: Decimal | None,
) -> None:
    """Submit PATHS as a new batch to the running workers; prints the batch id.

    Documents already processed for the same task reuse their earlier result (no new cost) unless --force.
    Exits 1 when every input was rejected (nothing will run).
    """
    from producer.render import window_progress
    from producer.resume import resume_advice
    from producer.submit import SubmitError, new_batch_id, submission_window, submit_batch
    from worker.celery_app import create_app
    from worker.flow.priority import Priority

    settings = needs_broker(settings_or_exit())
    if resume_batch is not None:
        given = {**vars(task_args), "paths": paths or None, "priority": priority, "force": force}
        given |= {"deadline_s": deadline_s, "cloud_share": cloud_share, "max_cost_usd": max_cost_usd}
        _resume_submission(settings, resume_batch, given, as_json)
        return
    if not paths:
        raise click.UsageError("give the PATHS to submit (or --resume BATCH to finish an interrupted one)")
    task = task_args.task()
    store = reachable_store(str(settings.broker_url), settings)  # fail fast, before reading a single file
    calibration = calibrate_for(settings, task_args, paths, task, cloud_share)
    created: list[str] = []

    def announce(batch_id: str) -> None:  # before a job is stored: a kill from here on can be resumed
        created.append(batch_id)
        err_console.print(
            f"batch {batch_id}: submitting; if this stops, finish it with {resume_advice(batch_id, paths)}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )

    try:
        summary = submit_batch(
            store,
            create_app(settings),
            task_args.documents(paths, settings),
            task,
            floor=task_args.floor_level(),
            batch_id=new_batch_id(),
            force=force,
            priority=Priority.parse(priority),
            on_created=announce,
            deadline_s=deadline_s,
            cloud_share=calibration,
            max_cost_usd=max_cost_usd,
            inputs=paths,
            text_field=task_args.text_field,
            max_in_flight=submission_window(settings, task, deadline_s),
            on_wait=window_progress(err_console),
        )
    except SubmitError as exc:
        submission_failed(exc, as_json)
    except (redis.ResponseError, redis.DataError) as exc:  # a full Redis, say (connection errors: above)
        store_refused(exc, store, created[0] if created else None)
    except KeyboardInterrupt:
        _interrupted(created[0] if created else None, paths)
    _submitted(summary, as_json)


def _resume_submission(settings: Settings, batch_id: str, given: dict[str, Any], as_json: bool) -> None:
    """`turnout submit --resume BATCH`: the rest of the batch, with the options on its manifest."""
    from producer.render import window_progress
    from producer.resume import option_conflicts, resumed_documents
    from producer.submit import SubmitError, resumable, resume_submission, submission_window
    from worker.celery_app import create_app

    source = click.get_current_context().get_parameter_source
    given = {
        name: value
        for name, value in given.items()
        if value is not None and source(name) not in (None, click.core.ParameterSource.DEFAULT)
    }
    store = reachable_store(str(settings.broker_url), settings)
    try:
        manifest = resumable(store, batch_id)
    except SubmitError as exc:
        raise click.ClickException(str(exc)) from None
    conflicts = option_conflicts(manifest, given)
    if conflicts:
        raise click.ClickException(
            f"batch {batch_id} was submitted with {'; '.join(conflicts)}: a resumed submission keeps the "
            f"batch's options; run `turnout submit --resume {batch_id}`"
        )
    inputs = manifest.options.inputs if manifest.options is not None else ()
    if not inputs and "paths" not in given:
        raise click.ClickException(
            f"batch {batch_id} did not record its paths (it was submitted from Python): give them again, "
            f"`turnout submit PATHS --resume {batch_id}`"
        )
    err_console.print(f"resuming batch {batch_id} with the options it was submitted with", highlight=False)
    try:
        documents = resumed_documents(
            manifest, settings.max_document_bytes, given.get("paths", ()), settings.load_timeout_s
        )
        summary = resume_submission(
            store,
            create_app(settings),
            manifest,
            documents,
            max_in_flight=submission_window(
                settings, manifest.task, manifest.options.deadline_s if manifest.options else None
            ),
            on_wait=window_progress(err_console),
        )
    except SubmitError as exc:
        submission_failed(exc, as_json)
    except (redis.ResponseError, redis.DataError) as exc:
        store_refused(exc, store, batch_id)
    except KeyboardInterrupt:
        _interrupted(batch_id, inputs)
    _submitted(summary, as_json)


def _submitted(summary: SubmitSummary, as_json: bool) -> None:
    from producer.render import print_rejections, print_taken_over

    if as_json:
        click.echo(json.dumps(summary.as_json()))
        return
    print_rejections(err_console, summary.rejected)
    print_taken_over(err_console, summary)
    click.echo(summary.batch_id)


def _interrupted(batch_id: str | None, inputs: tuple[str, ...]) -> NoReturn:
    from producer.resume import resume_advice

    if batch_id is None:
        err_console.print("submission interrupted before anything was stored; nothing was submitted")
    else:
        err_console.print(
            f"submission of {batch_id} interrupted; the jobs already submitted will run. "
            f"Finish it with {resume_advice(batch_id, inputs)}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    raise SystemExit(130)
