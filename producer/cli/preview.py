"""`turnout classify` and `turnout estimate`: offline previews of where documents would go and what they
would cost; nothing is sent anywhere."""

from __future__ import annotations

import json
from collections.abc import Callable

import click

from producer.cli.common import F, echo_result, friendly_errors, settings_or_exit
from producer.cli.options import TaskArgs, cloud_share_option, task_options
from producer.cli.policies import preview_policies


def _preview_options(json_help: str) -> Callable[[F], F]:
    """What both previews take, in this order: PATHS, the task options, --json and --cloud-share."""
    decorators = (
        click.argument("paths", nargs=-1, required=True),
        task_options,
        click.option("--json", "as_json", is_flag=True, help=json_help),
        cloud_share_option,
        friendly_errors,
    )

    def apply(func: F) -> F:
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return apply


@click.command()
@_preview_options("JSONL (the default output is already JSONL).")
def classify(
    paths: tuple[str, ...],
    task_args: TaskArgs,
    as_json: bool,
    cloud_share: float | None,
) -> None:
    """Preview tags and routes for PATHS: offline, no broker, nothing is sent anywhere."""
    from producer.loaders import Rejection
    from producer.sensitivity_floor import document_floor
    from worker.routing import Availability, decide

    settings = settings_or_exit()
    task = task_args.task()
    policies = preview_policies(settings, task_args, paths, task, cloud_share)
    # Preview as if both routes exist, so the user sees where each document would go in production.
    available = Availability(local=True, cloud=True)
    for item in task_args.documents(paths, settings):
        if isinstance(item, Rejection):
            click.echo(json.dumps({"source": item.source, "status": "rejected", "reason": item.reason}))
            continue
        doc_floor = document_floor(item, task_args.floor_level())
        tags = policies.classifier.classify(item.text, task=task, source=item.source, floor=doc_floor)
        route = decide(tags, policies.routing, available)
        click.echo(
            json.dumps(
                {
                    "source": item.source,
                    "sensitivity": tags.sensitivity.value,
                    "complexity": tags.complexity.value,
                    "complexity_score": tags.complexity_score,
                    "route": route.target.value,
                    "model": route.model,
                    "reasons": [*tags.reasons, *route.reasons],
                    "classifier_version": tags.classifier_version,
                }
            )
        )


@click.command()
@_preview_options("Print one JSON object instead of the summary.")
def estimate(
    paths: tuple[str, ...],
    task_args: TaskArgs,
    as_json: bool,
    cloud_share: float | None,
) -> None:
    """Projected tokens and cost of PATHS per route, next to the all-cloud baseline: offline, nothing is sent.

    Classifies and routes every document with the current policy (as if both routes exist), plans the
    calls a worker would make (chunks for long documents) and prices them. Input tokens are counted;
    output tokens are a per-task assumption (configs/models.yaml).
    """
    from producer.estimate import estimate_batch, render_text

    settings = settings_or_exit()
    task = task_args.task()
    policies = preview_policies(settings, task_args, paths, task, cloud_share)
    result = estimate_batch(
        policies,
        task_args.documents(paths, settings),
        task,
        floor=task_args.floor_level(),
    )
    echo_result(result, render_text, as_json)
