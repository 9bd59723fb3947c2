"""A batch's writes that must not outlive it: run in one script only while its manifest exists.

`turnout purge` takes a batch's manifest away before anything else (worker/store/purge.py), and the
retention expires it with the batch's records (lifecycle.py). A worker still in flight on one of the
batch's jobs (a slow call, a retry waiting for its countdown, a provider batch's poller) then writes
nothing: its commands go through scripts/if_batch.lua (or a script that checks the manifest itself,
record_result.lua, open_execution.lua), so no key of a purged batch comes back, with text or without a TTL.
"""

from __future__ import annotations

from typing import Any

from worker.store import keys
from worker.store.lua import source

ARGS_PER_COMMAND = 1000  # even: HSET's field-value pairs are never split


def split(name: str, key: str, values: list[Any]) -> list[tuple[Any, ...]]:
    """One variadic command (RPUSH's values, HSET's field-value pairs) as several of at most
    ARGS_PER_COMMAND arguments: Lua's `unpack` fails at a few thousand values (a provider batch's jobs)."""
    return [(name, key, *values[i : i + ARGS_PER_COMMAND]) for i in range(0, len(values), ARGS_PER_COMMAND)]


def if_batch_call(batch_id: str, commands: list[tuple[Any, ...]]) -> tuple[list[str], list[object]]:
    """The script's keys and arguments for `commands`, each (command name, key, *arguments)."""
    keys_ = [keys.batch(batch_id)]
    argv: list[object] = []
    for name, key, *args in commands:
        if key not in keys_:
            keys_.append(key)
        argv += [name, keys_.index(key) + 1, len(args), *args]
    return keys_, argv


def if_batch(client: Any, batch_id: str, *commands: tuple[Any, ...]) -> list[Any] | None:
    """Run `commands` (each: name, key, *arguments) while the batch exists; their replies, or None when
    the batch is gone (purged, or expired with its records) and nothing was written."""
    keys_, argv = if_batch_call(batch_id, list(commands))
    reply = client.eval(source("if_batch"), len(keys_), *keys_, *argv)
    return list(reply[1:]) if reply else None


def queue_if_batch(pipe: Any, batch_id: str, *commands: tuple[Any, ...]) -> None:
    """Queue `if_batch` on a pipeline (EVAL with the script's text: no NOSCRIPT half-failures)."""
    keys_, argv = if_batch_call(batch_id, list(commands))
    pipe.eval(source("if_batch"), len(keys_), *keys_, *argv)
