"""The `turnout` command line."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
import redis
from rich.console import Console

from producer.loaders import LoaderOptions, iter_documents
from worker.errors import ConfigError
from worker.schema import Sensitivity, TaskKind, TaskSpec
from worker.settings import Settings, SettingsError, load_settings
from worker.store_refusal import describe_store_error

if TYPE_CHECKING:
    from producer.submit import SubmitSummary

F = TypeVar("F", bound=Callable[..., Any])
err_console = Console(stderr=True)


def friendly_errors(func: F) -> F:
    """Turn expected failures into one clear line and exit code 2, not a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (SettingsError, ConfigError) as exc:
            raise click.ClickException(str(exc)) from None
        except redis.ConnectionError as exc:
            raise click.ClickException(f"cannot reach Redis: {exc} (check TURNOUT_BROKER_URL)") from None
        except redis.RedisError as exc:  # a full Redis, say: one line, never the command's arguments
            raise click.ClickException(describe_store_error(exc)) from None

    return wrapper  # type: ignore[return-value]


def store_refused(exc: redis.RedisError, store: Any, batch_id: str | None) -> NoReturn:
    """Redis refused the submission's writes (full, say): one line with what to do and how to finish the
    batch, never a traceback nor the command's arguments (redis-py quotes a document's first words)."""
    then = f"; then finish the batch with `turnout submit --resume {batch_id}`" if batch_id else ""
    raise click.ClickException(describe_store_error(exc, store.redis) + then) from None


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


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


def _deadline(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    from worker.batch.hints import parse_deadline

    if value is None:
        return None
    try:
        return parse_deadline(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


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


def calibrate_for(
    settings: Settings, task_args: TaskArgs, paths: tuple[str, ...], task: TaskSpec, share: float | None
):  # type: ignore[no-untyped-def]
    """The batch's calibrated threshold for `--cloud-share` (or routes.cloud_share), or None when neither."""
    from producer.calibrate import calibrate_cloud_share
    from producer.render import shown_threshold
    from worker.runtime import Policies

    policies = Policies.load(settings)
    share = share if share is not None else policies.routing.routes.cloud_share
    if share is None:
        return None
    if "-" in paths:
        # Calibration reads the documents once before they are submitted; stdin can be read only once.
        raise click.UsageError(
            "--cloud-share (or routes.cloud_share) reads the inputs twice: give files, not '-'"
        )
    err_console.print(f"calibrating the cloud share ({share:.0%}) on the batch's documents...")
    calibration = calibrate_cloud_share(
        task_args.documents(paths, settings),
        task,
        share,
        policies.classifier,
        policies.routing,
        floor=task_args.floor_level(),
    )
    err_console.print(
        f"cloud share {share:.0%}: complexity threshold {shown_threshold(calibration.threshold)}, set from "
        f"{calibration.cloud_allowed:,} cloud-allowed of {calibration.sampled:,} sampled documents "
        f"({calibration.expected_share:.1%} of them at or above it)",
        highlight=False,
    )
    return calibration


def preview_policies(
    settings: Settings, task_args: TaskArgs, paths: tuple[str, ...], task: TaskSpec, share: float | None
):  # type: ignore[no-untyped-def]
    """The policies an offline preview (classify, estimate) routes with: with `--cloud-share` (or
    routes.cloud_share), the threshold a batch of these documents would be calibrated to, as
    routes.cloud_min_score."""
    from worker.runtime import Policies

    policies = Policies.load(settings)
    calibration = calibrate_for(settings, task_args, paths, task, share)
    if calibration is None:
        return policies
    routes = policies.routing.routes.model_copy(update={"cloud_min_score": calibration.threshold})
    return replace(policies, routing=policies.routing.model_copy(update={"routes": routes}))


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Turnout: route each document to your own GPUs or a closed API by sensitivity and complexity."""
    from worker.logging import configure_logging

    # Log lines go to stderr, warnings and up, so a command's own output (JSONL from classify, a batch
    # id from submit) stays clean on stdout; `turnout worker` sets its own level from the settings.
    configure_logging(os.environ.get("TURNOUT_LOG_FORMAT", "console"), "warning")


@main.command()
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
    from producer.local_stack import exit_cleanly_on_sigterm, stop_if_terminated
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
        _submission_failed(exc, as_json)
    stop_if_terminated()  # a SIGTERM whose exit some library swallowed still ends the command as one
    if as_json and outcome.budget is not None:  # docs/budgets.md
        shown = outcome.report.model_dump(mode="json", exclude={"pending", "done"})
        click.echo(json.dumps({**shown, "budget": outcome.budget.as_json()}))
    elif as_json:
        click.echo(outcome.report.model_dump_json(exclude={"pending", "done"}))


@main.command()
@click.argument("paths", nargs=-1)
@task_options
@click.option("--json", "as_json", is_flag=True, help="Print {batch_id, jobs, reused, rejected} as JSON.")
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

    settings = _needs_broker(settings_or_exit())
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
        _submission_failed(exc, as_json)
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
        _submission_failed(exc, as_json)
    except (redis.ResponseError, redis.DataError) as exc:
        store_refused(exc, store, batch_id)
    except KeyboardInterrupt:
        _interrupted(batch_id, inputs)
    _submitted(summary, as_json)


def _submitted(summary: SubmitSummary, as_json: bool) -> None:
    from producer.render import print_rejections

    if as_json:
        click.echo(json.dumps(summary.as_json()))
        return
    print_rejections(err_console, summary.rejected)
    if summary.reused:
        err_console.print(f"reused {summary.reused} (use --force to run again)", highlight=False)
    click.echo(summary.batch_id)


def _submission_failed(exc: Exception, as_json: bool) -> NoReturn:
    """A SubmitError as one line (exit 1); when nothing was accepted, the rejections first."""
    from producer.render import print_rejections
    from producer.submit import NothingAccepted

    if isinstance(exc, NothingAccepted):
        if as_json:
            shown = exc.summary.as_json()
            click.echo(json.dumps({**shown, "batch_id": shown["batch_id"] if exc.batch_created else None}))
        else:
            print_rejections(err_console, exc.summary.rejected)
    raise click.ClickException(str(exc)) from None


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


@main.command()
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
    store, batch_id = _store_and_batch(batch)
    app = create_app(settings)
    verified = verify_batch(store, app, batch_id) if verify else None
    if watch:
        stalls = StallCheck(app, store.redis, batch_id, lambda line: err_console.print(line, highlight=False))
        try:
            report = watch_batch(store, batch_id, err_console, check=stalls)
        except Stalled as exc:
            err_console.print(
                f"stopped watching: nothing can progress: {exc}", highlight=False, soft_wrap=True
            )
            raise SystemExit(3) from None
    else:
        report = store.report(batch_id)
    provider = batch_progress(store.redis, batch_id)  # cloud-batch route: provider batch progress
    budget = current_budget(store.redis, batch_id, settings.config_dir)  # docs/budgets.md
    # Why an unfinished batch is not moving: retries and their cause, queues no worker consumes.
    retries = None if report.done else retrying(store.redis, batch_id)
    queues = None if report.done or watch else queue_view(app, store.redis)
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


@main.command()
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

    store, batch_id = _store_and_batch(batch)
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


@main.command()
@click.argument("batch", required=False)
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def report(batch: str | None, as_json: bool) -> None:
    """Costs, tokens and savings of BATCH so far (works while it runs)."""
    from producer.render import print_report
    from worker.budget.view import current_budget

    store, batch_id = _store_and_batch(batch)
    batch_report = store.report(batch_id)
    # The batch's cap and the provider caps, as `status` and `run --json` show them (docs/budgets.md).
    budget = current_budget(store.redis, batch_id, settings_or_exit().config_dir)
    if as_json and budget is not None:
        shown = batch_report.model_dump(mode="json", exclude={"pending", "done"})
        click.echo(json.dumps({**shown, "budget": budget.as_json()}))
    elif as_json:
        click.echo(batch_report.model_dump_json(exclude={"pending", "done"}))
    else:
        print_report(Console(), batch_report)
        for line in budget.lines(bound=True) if budget is not None else []:
            click.echo(line)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@task_options
@click.option("--json", "as_json", is_flag=True, help="JSONL (the default output is already JSONL).")
@cloud_share_option
@friendly_errors
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


@main.command()
@click.argument("paths", nargs=-1, required=True)
@task_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the summary.")
@cloud_share_option
@friendly_errors
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
    if as_json:
        click.echo(json.dumps(result.as_json()))
        return
    for line in render_text(result):
        click.echo(line)


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--pool", type=click.Choice(["classify", "local", "cloud"]), required=True)
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@friendly_errors
def worker(pool: str, celery_args: tuple[str, ...]) -> None:
    """Start a Celery worker for one pool (extra arguments go to `celery worker`)."""
    from worker.main import run_worker

    run_worker(_needs_broker(settings_or_exit()), pool, celery_args)


@main.command()
@click.argument("kind", type=click.Choice(["ollama", "openai"]))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, required=True)
@click.option("--latency-ms", type=float, default=0.0, show_default=True)
@click.option("--error-rate", type=float, default=0.0, show_default=True)
@click.option(
    "--error-kind",
    default="auto",
    show_default=True,
    help="ollama: busy|500|timeout|malformed; openai: 429|500|timeout|malformed.",
)
@click.option("--retry-after-s", type=float, default=1.0, show_default=True)
@click.option("--models", default="", help="Comma-separated known models (default: any).")
@click.option("--max-parallel", type=int, default=0, help="ollama: requests in flight before 503 busy.")
@click.option("--seed", type=int, default=0)
@click.option(
    "--divergence",
    multiple=True,
    metavar="MODEL=STRENGTH",
    callback=lambda ctx, param, value: _parsed_divergence(value),
    help="Answers of MODEL differ from the reference answer with probability STRENGTH x the document's "
    "complexity score (for `turnout compare`), e.g. llama3.2:3b=0.8. Repeatable.",
)
@click.option(
    "--second-line-yes-markers",
    default="",
    metavar="MARKER[=CATEGORY],...",
    help="The second line's check (docs/classifier.md) answers 'sensitive' for documents containing a "
    "MARKER, with CATEGORY (default other_confidential); 'not sensitive' for the rest.",
)
def sim(
    kind: str,
    host: str,
    port: int,
    latency_ms: float,
    error_rate: float,
    error_kind: str,
    retry_after_s: float,
    models: str,
    max_parallel: int,
    seed: int,
    divergence: dict[str, float],
    second_line_yes_markers: str,
) -> None:
    """Run a protocol-faithful Ollama or OpenAI simulator (for dry runs and tests)."""
    from ops.simulators import SimConfig, serve_forever
    from ops.simulators.screening import parse_markers

    config = SimConfig(
        latency_ms=latency_ms,
        error_rate=error_rate,
        error_kind=error_kind,
        retry_after_s=retry_after_s,
        models=tuple(m for m in models.split(",") if m),
        max_parallel=max_parallel,
        seed=seed,
        divergence=divergence,
        second_line_yes_markers=parse_markers(second_line_yes_markers),
    )
    serve_forever(kind, host, port, config)


def _parsed_divergence(specs: tuple[str, ...]) -> dict[str, float]:
    from ops.simulators.divergence import parse_divergence

    try:
        return parse_divergence(specs)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--divergence") from None


def _age(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    from worker.batch.hints import parse_deadline

    if value is None:
        return None
    try:
        return parse_deadline(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: use a number and a unit (s, m, h, d), e.g. 7d") from None


@main.command()
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
    settings = _needs_broker(settings_or_exit())
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


def _needs_broker(settings: Settings) -> Settings:
    if not settings.broker_url:
        raise click.ClickException(
            "TURNOUT_BROKER_URL is not set (e.g. redis://localhost:6379/0); "
            "or use `turnout run`, which embeds one"
        )
    return settings


def reachable_store(url: str, settings: Settings | None = None):  # type: ignore[no-untyped-def]
    """The store, once one quick ping says the broker answers. The store's own client rides out a
    Redis restart for about a minute, which a user at a prompt should not have to wait out. A store that
    writes results (submit) needs the `settings`' retention."""
    from producer.run import ping_broker
    from worker.lifecycle import Retention
    from worker.store import Store

    ping_broker(url)
    return Store.from_url(url, retention=Retention.of(settings) if settings is not None else None)


def _store_and_batch(batch: str | None):  # type: ignore[no-untyped-def]
    settings = _needs_broker(settings_or_exit())
    store = reachable_store(str(settings.broker_url))
    batch_id = batch or store.latest_batch()
    if batch_id is None:
        raise click.ClickException("no batches yet; submit one with `turnout submit`")
    try:
        store.manifest(batch_id)
    except KeyError:
        raise click.ClickException(f"no batch {batch_id!r}") from None
    return store, batch_id


# `turnout compare` lives in producer/compare/command.py; it takes the shared options defined above.
from producer.compare.command import compare_command  # noqa: E402

main.add_command(compare_command(task_options, friendly_errors))

if __name__ == "__main__":
    main()
