"""The model catalogue, from `configs/models.yaml`: context windows, tokenizers, licenses and the license
allowlist, chunking and estimate knobs."""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import Field, model_validator

from worker.config import ConfigModel, load
from worker.errors import ConfigError
from worker.schema import TaskKind


class ModelInfo(ConfigModel):
    context_tokens: int = Field(ge=256)
    tokenizer: str = Field(min_length=1)
    # The model's license: an SPDX id (Apache-2.0, MIT, CC-BY-NC-4.0) or the vendor's license name.
    license: str | None = Field(default=None, min_length=1)


class LicensePolicy(ConfigModel):
    """`licenses:` the licenses this deployment may run local models under (matched ignoring case)."""

    allowed: tuple[str, ...] = Field(min_length=1)

    def allows(self, name: str) -> bool:
        return name.casefold() in {name.casefold() for name in self.allowed}


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
    # No `licenses:` section: any license (or none) may run; the report still lists what ran.
    licenses: LicensePolicy | None = None

    @model_validator(mode="after")
    def _license_per_model(self) -> Self:
        if self.default.license is not None:
            raise ValueError(
                "default.license: a license is stated per model, under `models`, never by default"
            )
        return self

    def info(self, model: str) -> ModelInfo:
        """The model's window and tokenizer; the `default` entry for a model not listed."""
        return self.models.get(model, self.default)

    def license_of(self, model: str) -> str | None:
        """The license stated for `model`, None when none is (the `default` entry never states one)."""
        info = self.models.get(model)
        return info.license if info is not None else None

    def check_local_license(self, model: str, path: Path | str) -> None:
        """Refuse, at start, a local model whose license the `licenses.allowed` list does not allow.

        A model with no stated license is refused too while an allowlist is set: a deployment that checks
        licenses cannot tell whether an unknown one complies. Raises ConfigError naming the file to change.
        """
        if self.licenses is None:
            return
        stated = self.license_of(model)
        allowed = ", ".join(self.licenses.allowed)
        if stated is None:
            raise ConfigError(
                f"{path}: local model {model!r} states no license, and licenses.allowed is set ({allowed}); "
                f"add `license:` under models.{model} in {path}, or route a model that states one"
            )
        if not self.licenses.allows(stated):
            raise ConfigError(
                f"{path}: local model {model!r} is licensed {stated!r}, which licenses.allowed does not "
                f"allow ({allowed}); route a model whose license is allowed (models.local in routing.yaml), "
                f"or add {stated!r} to licenses.allowed in {path} if your use complies with its terms"
            )


def load_models_config(path: Path) -> ModelsConfig:
    """Load the file; a config folder without one gets the shipped defaults (it is newer than the others)."""
    if not path.exists():
        return ModelsConfig()
    return load(ModelsConfig, path)
