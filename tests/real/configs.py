"""The configs the real-model tier runs on: the shipped ones, with the real server's model as the local
model, every public document sent to the cloud route, and short answers (the model runs on CPU)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO_ROOT
from tests.real.server import CONTEXT_TOKENS, MODEL_ALIAS

CLOUD_MODEL = "gpt-4o-mini"  # the name the cloud route sends; llama.cpp answers with its one model
CAPS = {"summarize": 48, "extract": 96, "classify": 12, "custom": 48}
SEED = 1234


def tier_configs(target: Path, second_line: dict[str, Any] | None = None) -> Path:
    """The shipped configs, with the real server's model as the local model and short answers.

    The second line is off unless `second_line` says otherwise: the tier's task tests count every local
    call as the task's own (tests/real/test_real_second_line.py runs it)."""
    shutil.copytree(REPO_ROOT / "configs", target)

    def edit(name: str, change: Any) -> None:
        data = yaml.safe_load((target / name).read_text())
        change(data)
        (target / name).write_text(yaml.safe_dump(data, sort_keys=False))

    def routing(data: dict[str, Any]) -> None:
        data["models"] = {"local": MODEL_ALIAS, "cloud": CLOUD_MODEL}
        # Every public document goes to the cloud route, every sensitive one stays local.
        data["routes"].update(cloud_min_complexity="simple", local_only_sensitivity=[])
        data["second_line"] = second_line if second_line is not None else {"enabled": False}

    def models(data: dict[str, Any]) -> None:
        data["models"][MODEL_ALIAS] = {
            "context_tokens": CONTEXT_TOKENS,
            "tokenizer": "cl100k_base",
            "license": "Apache-2.0",
        }
        data["chunking"]["reserve_output_tokens"] = 256

    def pricing(data: dict[str, Any]) -> None:
        data["local"][MODEL_ALIAS] = {"input_tokens_per_s": 2000, "output_tokens_per_s": 50}

    def prompts(data: dict[str, Any]) -> None:
        data["sampling"] = {
            "default": {"temperature": 0, "seed": SEED},
            **{task: {"max_output_tokens": cap} for task, cap in CAPS.items()},
        }

    edit("routing.yaml", routing)
    edit("models.yaml", models)
    edit("pricing.yaml", pricing)
    edit("prompts.yaml", prompts)
    return target
