"""The `turnout` command line: the group here, each command in its own module.

- `common`   — the stderr console; the one place expected failures become one line and an exit code;
               settings and the broker's store.
- `options`  — the options several commands share (the task, --deadline, --max-cost-usd, --cloud-share).
- `policies` — the routing policy a command uses, calibrated by --cloud-share.
- `run`, `submit`, `status`, `results` (results, report), `preview` (classify, estimate), `compare`,
  `purge`, `services` (worker, sim): one command or a small group each, calling the producer's modules.

Every command imports what is heavy when it runs, so `turnout --help` stays fast.
"""

from __future__ import annotations

import os

import click

from producer.cli import compare, preview, purge, results, run, services, status, submit


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Turnout: route each document to your own GPUs or a closed API by sensitivity and complexity."""
    from worker.logging import configure_logging

    # Log lines go to stderr, warnings and up, so a command's own output (JSONL from classify, a batch
    # id from submit) stays clean on stdout; `turnout worker` sets its own level from the settings.
    configure_logging(os.environ.get("TURNOUT_LOG_FORMAT", "console"), "warning")


# Added from their modules, so producer.cli.run stays the module (`from producer.cli.run import run`).
for command in (
    run.run,
    submit.submit,
    status.status,
    results.results,
    results.report,
    preview.classify,
    preview.estimate,
    compare.compare,
    services.worker,
    services.sim,
    purge.purge,
):
    main.add_command(command)
