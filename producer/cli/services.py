"""`turnout worker` and `turnout sim`: the long-running processes, a Celery worker for one pool and a
simulated backend."""

from __future__ import annotations

import click

from producer.cli.common import friendly_errors, needs_broker, settings_or_exit


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--pool", type=click.Choice(["classify", "local", "cloud"]), required=True)
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@friendly_errors
def worker(pool: str, celery_args: tuple[str, ...]) -> None:
    """Start a Celery worker for one pool (extra arguments go to `celery worker`)."""
    from worker.main import run_worker

    run_worker(needs_broker(settings_or_exit()), pool, celery_args)


@click.command()
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
    callback=lambda ctx, param, value: _parsed_markers(value),
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
    second_line_yes_markers: tuple[str, ...],
) -> None:
    """Run a protocol-faithful Ollama or OpenAI simulator (for dry runs and tests)."""
    from ops.simulators import SimConfig, serve_forever

    config = SimConfig(
        latency_ms=latency_ms,
        error_rate=error_rate,
        error_kind=error_kind,
        retry_after_s=retry_after_s,
        models=tuple(m for m in models.split(",") if m),
        max_parallel=max_parallel,
        seed=seed,
        divergence=divergence,
        second_line_yes_markers=second_line_yes_markers,
    )
    serve_forever(kind, host, port, config)


def _parsed_markers(spec: str) -> tuple[str, ...]:
    from ops.simulators.screening import parse_markers

    try:
        return parse_markers(spec)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--second-line-yes-markers") from None


def _parsed_divergence(specs: tuple[str, ...]) -> dict[str, float]:
    from ops.simulators.divergence import parse_divergence

    try:
        return parse_divergence(specs)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--divergence") from None
