"""The options several commands share: the task and how documents are read (`task_options`, packed into
`TaskArgs`), `--deadline`, `--max-cost-usd` and `--cloud-share`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import wraps
from pathlib import Path
from typing import Any

import click

from producer.cli.common import F, err_console
from producer.loaders import LoaderOptions, iter_documents
from worker.schema import Sensitivity, TaskKind, TaskSpec
from worker.settings import Settings


def task_options(func: F) -> F:
    """The options that describe the task and how documents are read, shared by submit/run/classify."""
    options = [
        click.option(
            "--task",
            "task_kind",
            type=click.Choice([k.value for k in TaskKind]),
            default=None,
            help="What to do with each document. Default: summarize (extract with --schema, custom with --prompt).",
        ),
        click.option("--fields", default="", help="extract: comma-separated field names."),
        click.option(
            "--schema",
            "schema_file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            default=None,
            help="extract: a JSON Schema file (or a JSON list of field names) the answers must validate against.",
        ),
        click.option("--labels", default="", help="classify: comma-separated labels."),
        click.option("--prompt", default=None, help="custom: the instruction ({text} is the document)."),
        click.option(
            "--prompt-file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            default=None,
            help="custom: read the instruction from a file.",
        ),
        click.option(
            "--text-field",
            default=None,
            help="JSONL/CSV: the field holding the text [default: text; a CSV without it: its one obvious text column].",
        ),
        click.option(
            "--sensitivity",
            "floor",
            type=click.Choice([s.value for s in Sensitivity]),
            default=None,
            help="A floor: every document is at least this sensitive.",
        ),
    ]

    @wraps(func)
    def packed(*args: Any, **kwargs: Any) -> Any:
        kwargs["task_args"] = TaskArgs(**{name: kwargs.pop(name) for name in TaskArgs.__dataclass_fields__})
        return func(*args, **kwargs)

    for option in reversed(options):
        packed = option(packed)
    return packed  # type: ignore[return-value]


@dataclass(frozen=True)
class TaskArgs:
    """The task and document-reading options every document command takes (see `task_options`)."""

    task_kind: str | None
    fields: str
    labels: str
    prompt: str | None
    prompt_file: Path | None
    schema_file: Path | None
    text_field: str | None
    floor: str | None

    def task(self) -> TaskSpec:
        return build_task(
            self.task_kind, self.fields, self.labels, self.prompt, self.prompt_file, self.schema_file
        )

    def floor_level(self) -> Sensitivity | None:
        return Sensitivity(self.floor) if self.floor else None

    def documents(self, paths: tuple[str, ...], settings: Settings):  # type: ignore[no-untyped-def]
        return documents_for(paths, settings, self.text_field)


def build_task(
    task_kind: str | None,
    fields: str,
    labels: str,
    prompt: str | None,
    prompt_file: Path | None,
    schema_file: Path | None = None,
) -> TaskSpec:
    from worker.extraction import SchemaFileError, load_schema_file, strict_mode_problems

    kind = TaskKind(task_kind or (TaskKind.EXTRACT if schema_file else TaskKind.SUMMARIZE))
    if prompt_file is not None:
        prompt = prompt_file.read_text(encoding="utf-8")
    if prompt and kind is not TaskKind.CUSTOM:
        kind = TaskKind.CUSTOM
    field_list = tuple(f.strip() for f in fields.split(",") if f.strip())
    label_list = tuple(label.strip() for label in labels.split(",") if label.strip())
    output_schema = None
    if schema_file is not None:
        if kind is not TaskKind.EXTRACT:
            raise click.UsageError("--schema is for --task extract")
        if field_list:
            raise click.UsageError("give the fields either with --fields or with --schema, not both")
        try:
            field_list, output_schema = load_schema_file(schema_file)
        except SchemaFileError as exc:
            raise click.BadParameter(str(exc), param_hint="--schema") from None
        problems = strict_mode_problems(json.loads(output_schema)) if output_schema else []
        if problems:
            err_console.print(
                "[yellow]warning[/]: OpenAI's strict structured outputs will refuse this schema, so documents "
                f"routed to the cloud will fail ({'; '.join(problems[:3])}); Ollama accepts it.",
                highlight=False,
            )
    if field_list and kind is not TaskKind.EXTRACT:  # silently ignored otherwise
        raise click.UsageError(f"--fields is for --task extract, not --task {kind.value}")
    if kind is TaskKind.EXTRACT and not field_list:
        raise click.UsageError("--task extract needs --fields, e.g. --fields invoice_number,total,due_date")
    if kind is TaskKind.CLASSIFY and len(label_list) < 2:
        raise click.UsageError(
            "--task classify needs at least two --labels, e.g. --labels invoice,contract,other"
        )
    if kind is TaskKind.CUSTOM and not (prompt and prompt.strip()):
        raise click.UsageError("--task custom needs --prompt or --prompt-file")
    return TaskSpec(
        kind=kind, fields=field_list, labels=label_list, prompt=prompt, output_schema=output_schema
    )


def documents_for(paths: tuple[str, ...], settings: Settings, text_field: str | None):  # type: ignore[no-untyped-def]
    options = LoaderOptions(
        text_field=text_field or "text",
        guess_text_field=text_field is None,
        max_document_bytes=settings.max_document_bytes,
        load_timeout_s=settings.load_timeout_s,
    )
    return iter_documents(list(paths), options)


def seconds_of(value: str | None, usage: str | None = None) -> float | None:
    """A DURATION option's seconds (--deadline, --older-than), None when it is not given. A bad one is a
    bad parameter: the value and `usage` when given, else the parser's own reason."""
    from worker.batch.hints import parse_deadline

    if value is None:
        return None
    try:
        return parse_deadline(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r}: {usage}" if usage else str(exc)) from None


def _deadline(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    return seconds_of(value)


deadline_option = click.option(
    "--deadline",
    "deadline_s",
    callback=_deadline,
    default=None,
    metavar="DURATION",
    help="How long the results may take, e.g. 24h or 2d. 24h or more lets cloud-bound jobs use the "
    "provider's Batch API at batch prices (routing.yaml `batch`); shorter keeps them real-time.",
)


def _max_cost(ctx: click.Context, param: click.Parameter, value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise click.BadParameter(f"{value!r} is not an amount in USD, e.g. 5 or 0.50") from None
    if not amount.is_finite() or amount <= 0:
        raise click.BadParameter("the cap must be a positive amount in USD, e.g. 5 or 0.50")
    from worker.budget.config import MAX_CAP_USD, MIN_CAP_USD

    if not MIN_CAP_USD <= amount <= MAX_CAP_USD:  # the ledger counts whole picodollars in 64 bits
        raise click.BadParameter(f"the cap must lie between ${MIN_CAP_USD} and ${MAX_CAP_USD:,}")
    return amount


def _cloud_share(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not 0.0 <= value <= 1.0:  # also refuses nan, which FloatRange lets through
        raise click.BadParameter(f"{value} is not a share between 0 and 1, e.g. 0.3")
    return value


max_cost_option = click.option(
    "--max-cost-usd",
    "max_cost_usd",
    callback=_max_cost,
    default=None,
    metavar="USD",
    help="Cap the batch's cloud spend (real-time and Batch API), enforced across every worker. At the cap, "
    "cloud-bound jobs go local or fail, per configs/budgets.yaml (docs/budgets.md).",
)


cloud_share_option = click.option(
    "--cloud-share",
    type=float,
    callback=_cloud_share,
    default=None,
    metavar="SHARE",
    help="Send about this share (0..1) of the batch's cloud-allowed documents to the cloud: the complexity "
    "threshold is calibrated on a sample of the batch's own documents. Default: routes.cloud_share.",
)
