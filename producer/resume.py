"""Resuming an interrupted submission: the batch's own options, its own documents, and the advice to print.

A resumed submission takes everything from the batch's manifest (producer/submit.py writes it before the
first job). An option given again on the command line may only repeat what the manifest says: a
different floor, task or priority for the rest of a batch would route half of it by other rules.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from producer.loaders import LoadedDocument, LoaderOptions, Rejection, iter_documents
from producer.names import unescape_name
from worker.store import BatchManifest

STDIN = "-"


def resume_advice(batch_id: str, inputs: tuple[str, ...] = ()) -> str:
    """How to finish the batch's submission: its options and paths are on its manifest, so no more than
    the command (and, when it read standard input, that input again)."""
    command = f"`turnout submit --resume {batch_id}`"
    return f"{command} with the same standard input" if STDIN in inputs else command


def option_conflicts(manifest: BatchManifest, given: Mapping[str, object]) -> list[str]:
    """One phrase per option given on resume (CLI parameter name -> value as given) that differs from the
    batch's, e.g. "--sensitivity restricted (given: public)"; empty when all agree."""
    recorded = _recorded(manifest)
    conflicts = []
    for name, value in given.items():
        if name not in recorded:  # PATHS of a batch that did not record its own: they are the only ones
            continue
        flag, theirs = recorded[name]
        if _normalised(name, value) == theirs:
            continue
        if name in _NOT_SHOWN:  # prompts and schemas can be long: say only that they differ
            conflicts.append(f"{flag} (a different one was given)")
        else:
            conflicts.append(f"{flag} {_shown(theirs)} (given: {_shown(_normalised(name, value))})")
    return conflicts


_NOT_SHOWN = frozenset({"prompt", "prompt_file", "schema_file", "paths"})


def _recorded(manifest: BatchManifest) -> dict[str, tuple[str, object]]:
    options, task = manifest.options, manifest.task
    assert options is not None
    recorded: dict[str, tuple[str, object]] = {
        "task_kind": ("--task", task.kind.value),
        "fields": ("--fields", task.fields),
        "labels": ("--labels", task.labels),
        "prompt": ("--prompt", task.prompt),
        "prompt_file": ("--prompt", task.prompt),
        "schema_file": ("--schema", (task.fields, task.output_schema)),
        "text_field": ("--text-field", options.text_field),
        "floor": ("--sensitivity", options.floor.value if options.floor is not None else None),
        "priority": ("--priority", options.priority),
        "force": ("--force", options.force),
        "deadline_s": ("--deadline", options.deadline_s),
        "cloud_share": ("--cloud-share", options.cloud_share_target),
        "max_cost_usd": ("--max-cost-usd", Decimal(options.max_cost_usd) if options.max_cost_usd else None),
    }
    if options.inputs:  # a batch submitted from Python may have recorded none
        recorded["paths"] = ("PATHS", _absolute(options.inputs, unescape_name(options.cwd or "")))
    return recorded


def _normalised(name: str, value: object) -> object:
    """A value as given, in the form `_recorded` holds it."""
    if name in ("fields", "labels"):
        return tuple(part.strip() for part in str(value).split(",") if part.strip())
    if name == "prompt_file":
        return Path(str(value)).read_text(encoding="utf-8")
    if name == "schema_file":
        from worker.extraction import load_schema_file

        return load_schema_file(Path(str(value)))
    if name == "paths":
        return _absolute(tuple(str(path) for path in value), os.getcwd())  # type: ignore[attr-defined]
    if name == "max_cost_usd" and value is not None:
        return Decimal(str(value))
    return value


def _absolute(paths: tuple[str, ...], cwd: str) -> tuple[str, ...]:
    return tuple(p if p == STDIN else os.path.normpath(os.path.join(cwd, unescape_name(p))) for p in paths)


def _shown(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return ",".join(str(part) for part in value) or "(none)"
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def resumed_documents(
    manifest: BatchManifest,
    max_document_bytes: int,
    paths_given: tuple[str, ...] = (),
    load_timeout_s: float = LoaderOptions.load_timeout_s,
) -> Iterator[LoadedDocument | Rejection]:
    """The batch's documents as its first run read them: its paths, from the directory it ran in (names
    relative to it, as then), with its text field. `paths_given` only for a batch that recorded none (one
    submitted from Python without `inputs`)."""
    options = manifest.options
    assert options is not None
    loader_options = LoaderOptions(
        text_field=options.text_field or "text",
        guess_text_field=options.text_field is None,
        max_document_bytes=max_document_bytes,
        load_timeout_s=load_timeout_s,
    )
    if not options.inputs:
        yield from iter_documents(list(paths_given), loader_options)
        return
    cwd = unescape_name(options.cwd or os.getcwd())
    inputs = [unescape_name(path) for path in options.inputs]
    base = os.path.join(cwd, "")
    relative = [path != STDIN and not os.path.isabs(path) for path in inputs]
    # The walker reads paths relative to this process's directory; joined to the first run's instead, the
    # names come back with it in front, which is taken off again.
    paths = [os.path.join(cwd, path) if rel else path for path, rel in zip(inputs, relative, strict=True)]
    for item in iter_documents(paths, loader_options):
        if any(relative) and item.source.startswith(base):
            item = replace(item, source=item.source[len(base) :])
        yield item
