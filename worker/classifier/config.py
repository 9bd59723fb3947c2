"""The classifier's settings: the `classifier:` section of `configs/routing.yaml`, validated strictly."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from worker.classifier.kinds import KINDS, default_levels
from worker.schema import Sensitivity


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PathRule(_Strict):
    """Documents whose source matches `pattern` (a glob; `**` crosses directories) are at least this level."""

    pattern: str = Field(min_length=1)
    sensitivity: Sensitivity


class ComplexityConfig(_Strict):
    """Where the complexity score (0..1) is cut into simple / moderate / complex."""

    simple_below: float = Field(default=0.35, ge=0.0, le=1.0)
    complex_at_or_above: float = Field(default=0.6, ge=0.0, le=1.0)
    # The token count (estimated as characters / 4) at which length alone contributes its full weight.
    full_length_tokens: int = Field(default=12_000, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> ComplexityConfig:
        if self.simple_below > self.complex_at_or_above:
            raise ValueError("complexity.simple_below must be <= complexity.complex_at_or_above")
        return self


class ClassifierConfig(_Strict):
    """The classifier's policy. `{}` gives the shipped defaults; unknown keys are errors."""

    # Per-kind overrides of the shipped level (see worker/classifier/kinds.py for every kind). Entries are
    # merged over the defaults; set a kind to `public` to stop it raising the level.
    levels: dict[str, Sensitivity] = Field(default_factory=dict)
    path_rules: tuple[PathRule, ...] = ()
    # Count the word "confidential" in ordinary prose ("we keep your data confidential") as a marker.
    prose_confidential_is_marker: bool = False
    # How close (in characters) a person's name must be to an address, a diagnosis or other PII to count.
    person_window_chars: int = Field(default=250, ge=20, le=5_000)
    complexity: ComplexityConfig = ComplexityConfig()

    @field_validator("levels")
    @classmethod
    def _known_kinds(cls, levels: dict[str, Sensitivity]) -> dict[str, Sensitivity]:
        unknown = sorted(set(levels) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown entity kinds in classifier.levels: {unknown}; known: {sorted(KINDS)}")
        return levels

    def effective_levels(self) -> dict[str, Sensitivity]:
        """The shipped default level of every kind, with this config's overrides applied."""
        merged = default_levels()
        merged.update(self.levels)
        return merged
