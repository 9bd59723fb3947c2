"""Prompt templates per task, from `configs/prompts.yaml`, rendered into chat messages."""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import model_validator

from worker.config import ConfigModel, load
from worker.schema import TaskKind, TaskSpec


class PromptTemplates(ConfigModel):
    version: int = 1
    system: str
    tasks: dict[TaskKind, str]

    @model_validator(mode="after")
    def _check(self) -> Self:
        missing = [kind.value for kind in TaskKind if kind not in self.tasks]
        if missing:
            raise ValueError(f"prompt templates missing for task(s): {', '.join(missing)}")
        for kind, template in self.tasks.items():
            if "{text}" not in template:
                raise ValueError(f"prompt template for {kind.value!r} has no {{text}} placeholder")
        return self

    def messages(self, task: TaskSpec, text: str) -> list[dict[str, str]]:
        """The chat messages for one document. Substitution is literal: braces in documents are safe."""
        body = self.tasks[task.kind]
        body = body.replace("{fields}", ", ".join(task.fields))
        body = body.replace("{labels}", ", ".join(task.labels))
        body = body.replace("{prompt}", task.prompt or "")
        body = body.replace("{text}", text)  # last, so a document can't inject other placeholders
        return [{"role": "system", "content": self.system}, {"role": "user", "content": body}]


def output_json_schema(task: TaskSpec) -> dict[str, object] | None:
    """For extraction, the JSON schema the answer must follow (asked of both backends)."""
    if task.kind is not TaskKind.EXTRACT or not task.fields:
        return None
    return {
        "type": "object",
        "properties": {name: {"type": ["string", "null"]} for name in task.fields},
        "required": list(task.fields),
        "additionalProperties": False,
    }


def load_prompt_templates(path: Path) -> PromptTemplates:
    return load(PromptTemplates, path)
