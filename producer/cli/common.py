"""What every command shares: the stderr console, the one place where expected failures become one line
and an exit code (never a traceback), the settings, and the broker's store."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar

import click
import redis
from rich.console import Console

from worker.errors import ConfigError
from worker.settings import Settings, SettingsError, load_settings
from worker.store_refusal import describe_store_error

F = TypeVar("F", bound=Callable[..., Any])
err_console = Console(stderr=True)


def friendly_errors(func: F) -> F:
    """Turn expected failures into one clear line and exit code 1, not a traceback."""

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
    raise click.ClickException(describe_store_error(exc, store) + then) from None


def submission_failed(exc: Exception, as_json: bool) -> NoReturn:
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


def echo_result(result: Any, render_text: Callable[[Any], list[str]], as_json: bool) -> None:
    """A command's result on stdout: with --json one JSON object, else its text line by line."""
    if as_json:
        click.echo(json.dumps(result.as_json()))
        return
    for line in render_text(result):
        click.echo(line)


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def needs_broker(settings: Settings) -> Settings:
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
    from worker.store import Store
    from worker.store.lifecycle import Retention

    ping_broker(url)
    return Store.from_url(url, retention=Retention.of(settings) if settings is not None else None)


def store_and_batch(batch: str | None):  # type: ignore[no-untyped-def]
    settings = needs_broker(settings_or_exit())
    store = reachable_store(str(settings.broker_url))
    batch_id = batch or store.latest_batch()
    if batch_id is None:
        raise click.ClickException("no batches yet; submit one with `turnout submit`")
    try:
        store.manifest(batch_id)
    except KeyError:
        raise click.ClickException(f"no batch {batch_id!r}") from None
    return store, batch_id
