"""`turnout purge`: remove a batch (or every finished batch older than a given age) from Redis now."""

from __future__ import annotations

import json
import sys

import click

from producer.cli.common import err_console, friendly_errors, needs_broker, reachable_store, settings_or_exit
from producer.cli.options import seconds_of


def _age(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    return seconds_of(value, "use a number and a unit (s, m, h, d), e.g. 7d")


@click.command()
@click.argument("batch", required=False)
@click.option(
    "--older-than",
    "older_than_s",
    callback=_age,
    default=None,
    metavar="DURATION",
    help="Purge every finished batch created longer ago than this, e.g. 7d or 12h.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (scripts, cron).")
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as one JSON object.")
@friendly_errors
def purge(batch: str | None, older_than_s: float | None, yes: bool, as_json: bool) -> None:
    """Remove BATCH (or every finished batch older than --older-than) from Redis now: its documents'
    text (unless another batch still needs it), jobs, results, counters, events and reuse entries.
    Results files you exported are yours and are not touched."""
    from producer.purge import purge_batch, purge_older_than

    if (batch is None) == (older_than_s is None):
        raise click.UsageError("give either a BATCH or --older-than DURATION")
    what = f"batch {batch}" if batch is not None else f"every finished batch older than {older_than_s:g} s"
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException(f"purging {what} cannot be undone: add --yes to confirm")
        click.confirm(f"Remove {what} from Redis? This cannot be undone", abort=True, err=True)
    settings = needs_broker(settings_or_exit())
    store = reachable_store(str(settings.broker_url), settings)
    if batch is not None:
        try:
            purged = purge_batch(store, batch)
        except KeyError:
            raise click.ClickException(f"no batch {batch!r} (purged already, or expired)") from None
    else:
        assert older_than_s is not None
        purged = purge_older_than(store, older_than_s)
    if as_json:
        click.echo(json.dumps(purged.as_json()))
        return
    err_console.print(
        f"purged {len(purged.batches)} batch(es): {purged.jobs} jobs, {purged.results} results, "
        f"{purged.documents} document texts, {purged.reuse_entries} reuse entries ({purged.keys} keys)",
        highlight=False,
    )
    if purged.unfinished:
        err_console.print(
            f"left {len(purged.unfinished)} unfinished batch(es) alone (name one to purge it): "
            + ", ".join(purged.unfinished),
            highlight=False,
        )
