"""`turnout status`: a batch's progress, and why an unfinished one is not moving."""

from __future__ import annotations

import json

import click

from producer.cli.common import err_console, friendly_errors, settings_or_exit, store_and_batch


@click.command()
@click.argument("batch", required=False)
@click.option("--watch", is_flag=True, help="Show a progress bar until the batch is done.")
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--verify",
    is_flag=True,
    help="Check that every unfinished job has a live message; re-enqueue any that has none.",
)
@friendly_errors
def status(batch: str | None, watch: bool, as_json: bool, verify: bool) -> None:
    """Progress of BATCH (default: the latest batch)."""
    from producer.render import watch_batch
    from producer.stalls import StallCheck, Stalled, queue_view
    from producer.verify import verify_batch
    from worker.batch.progress import batch_progress
    from worker.budget.view import current_budget
    from worker.celery_app import create_app
    from worker.retry_notes import retrying

    settings = settings_or_exit()
    store, batch_id = store_and_batch(batch)
    app = create_app(settings)
    verified = verify_batch(store, app, batch_id) if verify else None
    if watch:
        stalls = StallCheck(app, store, batch_id, lambda line: err_console.print(line, highlight=False))
        try:
            report = watch_batch(store, batch_id, err_console, check=stalls)
        except Stalled as exc:
            err_console.print(
                f"stopped watching: nothing can progress: {exc}", highlight=False, soft_wrap=True
            )
            raise SystemExit(3) from None
    else:
        report = store.report(batch_id)
    provider = batch_progress(store, batch_id)  # cloud-batch route: provider batch progress
    budget = current_budget(store, batch_id, settings.config_dir)  # docs/budgets.md
    # Why an unfinished batch is not moving: retries and their cause, queues no worker consumes.
    retries = None if report.done else retrying(store, batch_id)
    queues = None if report.done or watch else queue_view(app, store)
    if as_json:
        shown = report.model_dump(mode="json")
        if provider is not None:
            shown["cloud_batch"] = provider.as_json()
        if budget is not None:
            shown["budget"] = budget.as_json()
        if retries is not None:
            shown["retrying"] = retries.as_json()
        if queues is not None:
            shown["queues"] = queues.as_json()
        if verified is not None:
            shown["verify"] = verified.as_json()
        click.echo(json.dumps(shown))
    elif not watch:
        click.echo(
            f"{batch_id}: {report.jobs - report.pending}/{report.jobs} done "
            f"(succeeded {report.succeeded}, failed {report.failed}, rejected {report.rejected})"
            f"{'' if report.done else ' — in progress'}"
        )
        if provider is not None:
            click.echo(provider.line())
        for line in budget.lines() if budget is not None else []:
            click.echo(line)
        if retries is not None:
            click.echo(retries.line())
        for line in queues.lines() if queues is not None else []:
            click.echo(line)
        if not report.sealed:
            click.echo(
                f"submission not complete: if it was interrupted, finish it with "
                f"`turnout submit --resume {batch_id}`"
            )
        for line in verified.lines() if verified is not None else []:
            click.echo(line)
