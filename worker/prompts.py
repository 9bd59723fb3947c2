"""Prompt templates per task, from `configs/prompts.yaml`, rendered into chat messages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from pydantic import Field, model_validator

from worker.config import ConfigModel, load
from worker.schema import TaskKind, TaskSpec

_DEFAULT_PART_NOTE = (
    "The document is too long to read at once, so you see it in parts: this is part {part} of {parts}. "
    "Answer for this part only."
)
_DEFAULT_REDUCE = {
    TaskKind.SUMMARIZE: (
        "The document was too long to read at once, so each of its consecutive parts was summarized. "
        "Combine the part summaries into one summary of the whole document in 2-4 sentences for a busy "
        "reader.\n\nPart summaries, in order:\n---\n{text}"
    ),
    TaskKind.CUSTOM: (
        "{prompt}\n\nThe document was too long to read at once; below are your answers for each of its "
        "consecutive parts. Combine them into one answer for the whole document.\n\n"
        "Answers per part, in order:\n---\n{text}"
    ),
}
_DEFAULT_LABEL_REPAIR = (
    "Your answer is not one of the labels. Answer with exactly one of these labels and nothing else: {labels}"
)
_DEFAULT_REPAIR = (
    "Your answer does not validate against the required JSON schema: {error}. "
    "Answer again with only the corrected JSON, nothing else."
)


@dataclass(frozen=True)
class Sampling:
    """How the model is asked to answer (per task, configs/prompts.yaml): temperature 0 and a fixed seed
    make a re-run of the same batch give the same outputs on servers that honour them; the cap bounds
    the answer's tokens (each backend sends it in the parameter its server understands)."""

    temperature: float | None = 0.0
    seed: int | None = None
    max_output_tokens: int | None = None


class ChunkTemplates(ConfigModel):
    """Prompts for documents longer than the model's window (see configs/models.yaml)."""

    part_note: str = _DEFAULT_PART_NOTE  # appended to the system prompt of each part's call
    reduce: dict[TaskKind, str] = Field(default_factory=lambda: dict(_DEFAULT_REDUCE))

    @model_validator(mode="after")
    def _check(self) -> Self:
        for placeholder in ("{part}", "{parts}"):
            if placeholder not in self.part_note:
                raise ValueError(f"chunks.part_note has no {placeholder} placeholder")
        missing = [k.value for k in (TaskKind.SUMMARIZE, TaskKind.CUSTOM) if k not in self.reduce]
        if missing:
            raise ValueError(f"chunks.reduce missing for task(s): {', '.join(missing)}")
        for kind, template in self.reduce.items():
            if "{text}" not in template:
                raise ValueError(f"chunks.reduce template for {kind.value!r} has no {{text}} placeholder")
        return self


class SamplingConfig(ConfigModel):
    """How a task's calls ask the model to answer; every key optional (unset: the `default` entry's)."""

    temperature: float | None = Field(default=None, ge=0, le=2)
    seed: int | None = None
    max_output_tokens: int | None = Field(default=None, ge=1)


_DEFAULT_SAMPLING = SamplingConfig(temperature=0.0, seed=7, max_output_tokens=1024)


class PromptTemplates(ConfigModel):
    version: int = 1
    system: str
    tasks: dict[TaskKind, str]
    chunks: ChunkTemplates = ChunkTemplates()
    repair: str = _DEFAULT_REPAIR  # sent back after an extraction answer that does not validate
    label_repair: str = _DEFAULT_LABEL_REPAIR  # sent back after a classify answer that is not a label
    # `default` and one entry per task kind, merged over it (configs/prompts.yaml `sampling:`).
    sampling: dict[str, SamplingConfig] = Field(default_factory=lambda: {"default": _DEFAULT_SAMPLING})

    @model_validator(mode="after")
    def _check(self) -> Self:
        missing = [kind.value for kind in TaskKind if kind not in self.tasks]
        if missing:
            raise ValueError(f"prompt templates missing for task(s): {', '.join(missing)}")
        for kind, template in self.tasks.items():
            if "{text}" not in template:
                raise ValueError(f"prompt template for {kind.value!r} has no {{text}} placeholder")
        if "{error}" not in self.repair:
            raise ValueError("the repair prompt has no {error} placeholder")
        if "{labels}" not in self.label_repair:
            raise ValueError("the label_repair prompt has no {labels} placeholder")
        unknown = set(self.sampling) - {"default"} - {kind.value for kind in TaskKind}
        if unknown:
            raise ValueError(f"sampling: unknown entry {sorted(unknown)[0]!r} (default or a task kind)")
        return self

    def sampling_for(self, kind: TaskKind) -> Sampling:
        """The task's sampling: its own entry over `default`, over the shipped defaults."""
        merged: dict[str, object] = _DEFAULT_SAMPLING.model_dump()
        for entry in (self.sampling.get("default"), self.sampling.get(kind.value)):
            if entry is not None:
                merged.update({name: getattr(entry, name) for name in entry.model_fields_set})
        return Sampling(**merged)  # type: ignore[arg-type]

    def label_repair_messages(
        self, messages: list[dict[str, str]], answer: str, labels: tuple[str, ...]
    ) -> list[dict[str, str]]:
        """The conversation so far, the answer that is not a label, and the labels to choose from."""
        return [
            *messages,
            {"role": "assistant", "content": answer},
            {"role": "user", "content": self.label_repair.replace("{labels}", ", ".join(labels))},
        ]

    def messages(
        self, task: TaskSpec, text: str, part: tuple[int, int] | None = None
    ) -> list[dict[str, str]]:
        """The chat messages for one document, or for `part` (n, of) of a long one.

        Substitution is literal: braces in documents are safe.
        """
        system = self.system
        if part is not None:
            note = self.chunks.part_note.replace("{part}", str(part[0])).replace("{parts}", str(part[1]))
            system = f"{system}\n\n{note}"
        return [
            {"role": "system", "content": system},
            {"role": "user", "content": _render(self.tasks[task.kind], task, text)},
        ]

    def reduce_messages(self, task: TaskSpec, partials: list[str]) -> list[dict[str, str]]:
        """One call that combines the answers for consecutive parts (summaries, custom answers)."""
        body = "\n\n".join(f"[Part {n}]\n{answer.strip()}" for n, answer in enumerate(partials, 1))
        template = self.chunks.reduce[task.kind]
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": _render(template, task, body)},
        ]

    def repair_messages(
        self, messages: list[dict[str, str]], answer: str, error: str
    ) -> list[dict[str, str]]:
        """The conversation so far, the invalid answer, and the validation error to fix."""
        return [
            *messages,
            {"role": "assistant", "content": answer},
            {"role": "user", "content": self.repair.replace("{error}", error)},
        ]


def _render(template: str, task: TaskSpec, text: str) -> str:
    body = template.replace("{fields}", ", ".join(task.fields))
    body = body.replace("{labels}", ", ".join(task.labels))
    # A custom prompt may mark the document's place with {text}; the template places it (once) already,
    # and a second copy would double every call's tokens and overflow a chunk's budget.
    body = body.replace("{prompt}", (task.prompt or "").replace("{text}", "").strip())
    return body.replace("{text}", text)  # last, so a document can't inject other placeholders


def output_json_schema(task: TaskSpec) -> dict[str, object] | None:
    """The JSON schema the answer must follow, asked of every backend: extraction's fields, or for
    classification an object whose `label` is one of the labels (a server that constrains its output
    then can only answer a label; worker/labels.py reads it back as the bare label)."""
    if task.kind is TaskKind.CLASSIFY and task.labels:
        return {
            "type": "object",
            "properties": {"label": {"type": "string", "enum": list(task.labels)}},
            "required": ["label"],
            "additionalProperties": False,
        }
    if task.kind is not TaskKind.EXTRACT:
        return None
    if task.output_schema is not None:
        schema: dict[str, object] = json.loads(task.output_schema)
        return schema
    if not task.fields:
        return None
    return {
        "type": "object",
        "properties": {name: {"type": ["string", "null"]} for name in task.fields},
        "required": list(task.fields),
        "additionalProperties": False,
    }


def load_prompt_templates(path: Path) -> PromptTemplates:
    return load(PromptTemplates, path)
