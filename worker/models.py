"""Per-model facts from `configs/models.yaml`: context windows, tokenizers, chunking and estimate knobs."""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import Field, model_validator

from worker.config import ConfigModel, load
from worker.schema import TaskKind


class ModelInfo(ConfigModel):
    context_tokens: int = Field(ge=256)
    tokenizer: str = Field(min_length=1)


class ChunkingPolicy(ConfigModel):
    reserve_output_tokens: int = Field(default=1024, ge=0)
    overlap_tokens: int = Field(default=200, ge=0)
    estimate_margin_pct: int = Field(default=10, ge=0, le=50)
    classify_vote_chunks: int = Field(default=3, ge=1)


class ExtractionPolicy(ConfigModel):
    max_repairs: int = Field(default=2, ge=0, le=10)


class EstimatePolicy(ConfigModel):
    output_tokens: dict[TaskKind, int] = Field(
        default_factory=lambda: {
            TaskKind.SUMMARIZE: 120,
            TaskKind.EXTRACT: 80,
            TaskKind.CLASSIFY: 4,
            TaskKind.CUSTOM: 250,
        }
    )

    @model_validator(mode="after")
    def _every_task(self) -> Self:
        missing = [kind.value for kind in TaskKind if kind not in self.output_tokens]
        if missing:
            raise ValueError(f"estimate.output_tokens missing for task(s): {', '.join(missing)}")
        if any(n < 0 for n in self.output_tokens.values()):
            raise ValueError("estimate.output_tokens must not be negative")
        return self


class ModelsConfig(ConfigModel):
    version: int = 1
    default: ModelInfo = ModelInfo(context_tokens=4096, tokenizer="cl100k_base")
    models: dict[str, ModelInfo] = Field(default_factory=dict)
    chunking: ChunkingPolicy = ChunkingPolicy()
    extraction: ExtractionPolicy = ExtractionPolicy()
    estimate: EstimatePolicy = EstimatePolicy()

    def info(self, model: str) -> ModelInfo:
        """The model's window and tokenizer; the `default` entry for a model not listed."""
        return self.models.get(model, self.default)


def load_models_config(path: Path) -> ModelsConfig:
    """Load the file; a config folder without one gets the shipped defaults (it is newer than the others)."""
    if not path.exists():
        return ModelsConfig()
    return load(ModelsConfig, path)
