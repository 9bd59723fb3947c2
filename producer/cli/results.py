"""`turnout results` and `turnout report`: what a batch produced, and what it cost."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from producer.cli.common import err_console, friendly_errors, settings_or_exit, store_and_batch


@click.command()
@click.argument("batch", required=False)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE instead of stdout.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="csv: one row per job, extracted fields flattened into one column each.",
)
@friendly_errors
def results(batch: str | None, output: Path | None, fmt: str) -> None:
    """The results of BATCH (default: the latest), one per terminal job: JSONL objects or CSV rows."""
    from producer.export import open_results_file, write_csv
    from producer.run import write_results

    store, batch_id = store_and_batch(batch)
    if fmt == "csv":
        task = store.manifest(batch_id).task
        if output is None:
            write_csv(store.iter_results(batch_id), task, sys.stdout)
            return
        with open_results_file(output) as out:
            count = write_csv(store.iter_results(batch_id), task, out)
        err_console.print(f"{count} results written to {output}")
        return
    if output is not None:
        count = write_results(store, batch_id, output)
        err_console.print(f"{count} results written to {output}")
        return
    for result in store.iter_results(batch_id):
        sys.stdout.write(result.model_dump_json() + "\n")


@click.command()
@click.argument("batch", required=False)
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def report(batch: str | None, as_json: bool) -> None:
    """Costs, tokens and savings of BATCH so far (works while it runs)."""
    from producer.render import print_report
    from worker.budget.view import current_budget

    store, batch_id = store_and_batch(batch)
    batch_report = store.report(batch_id)
    # The batch's cap and the provider caps, as `status` and `run --json` show them (docs/budgets.md).
    budget = current_budget(store, batch_id, settings_or_exit().config_dir)
    if as_json and budget is not None:
        shown = batch_report.model_dump(mode="json", exclude={"pending", "done"})
        click.echo(json.dumps({**shown, "budget": budget.as_json()}))
    elif as_json:
        click.echo(batch_report.model_dump_json(exclude={"pending", "done"}))
    else:
        print_report(Console(), batch_report)
        for line in budget.lines(bound=True) if budget is not None else []:
            click.echo(line)
