"""`configs/budgets.yaml`: spending caps on the cloud, and what a job does when one runs out.

A missing file means no provider caps (a batch can still have its own `--max-cost-usd`). Unknown keys
are errors, like every other config file. See docs/budgets.md.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from worker.config import ConfigModel, load
from worker.errors import ConfigError

OPENAI_BASE_URL = "https://api.openai.com/v1"  # the SDK's default, when OPENAI_BASE_URL is unset
BUDGETS_FILE = "budgets.yaml"
_PROVIDER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")  # it goes into Redis keys

# local: run the job on the local route instead (only jobs already allowed in the cloud are ever
#        affected, and going local is always allowed, so the privacy invariant is untouched);
# hold:  re-schedule it until the window resets (provider windows only: a batch cap never resets);
# fail:  fail it with the reason (error type `budget_exhausted`).
Policy = Literal["local", "hold", "fail"]


# Caps are kept in integer picodollars: a smaller one would round to 0, which the ledger reads as "no
# cap". The ceiling keeps every amount a status or report prints a finite float.
MIN_CAP_USD = Decimal("0.000000000001")
MAX_CAP_USD = Decimal(1_000_000_000)


class WindowCap(ConfigModel):
    """A cap on one provider's spend per UTC day or UTC month."""

    usd: Decimal = Field(ge=MIN_CAP_USD, le=MAX_CAP_USD)
    on_exhausted: Policy = "local"


class ProviderCaps(ConfigModel):
    """One cloud provider: which endpoint it is, and its daily and monthly caps (either may be absent)."""

    base_url: str = OPENAI_BASE_URL
    daily: WindowCap | None = None
    monthly: WindowCap | None = None

    @field_validator("base_url")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_url(value)


class BatchCapRules(ConfigModel):
    """What a job does when its batch's `--max-cost-usd` is spent."""

    on_exhausted: Literal["local", "fail"] = "local"

    @field_validator("on_exhausted", mode="before")
    @classmethod
    def _no_hold(cls, value: object) -> object:
        if value == "hold":
            raise ValueError(
                "hold does not apply to a per-batch cap: it never resets, so a held job would wait "
                "forever; use local or fail"
            )
        return value


class BudgetsConfig(ConfigModel):
    version: int = 1
    batch: BatchCapRules = BatchCapRules()
    providers: dict[str, ProviderCaps] = Field(default_factory=dict)
    # The longest a job is held for a window to reset, counted from its first denial. A job whose
    # window resets later than that fails at once with the reason instead of waiting in vain.
    hold_max_s: float = Field(default=86_400.0, gt=0)
    # A held job checks again this often (and at the reset): budget also frees up when calls in flight
    # settle below their estimate, or after an operator raises a cap and restarts the workers.
    hold_recheck_s: float = Field(default=300.0, gt=0)
    # Input tokens are estimated before a call (the larger of a tokenizer count and characters / 4);
    # this margin covers tokenizers that count more. Output is reserved at its maximum.
    input_margin_pct: Decimal = Field(default=Decimal(10), ge=0, le=1000)

    @field_validator("providers")
    @classmethod
    def _names(cls, value: dict[str, ProviderCaps]) -> dict[str, ProviderCaps]:
        for name in value:
            if not _PROVIDER_NAME.match(name):
                raise ValueError(f"provider name {name!r}: use letters, digits, '.', '_' or '-'")
        return value

    @model_validator(mode="after")
    def _one_entry_per_endpoint(self) -> Self:
        seen: dict[str, str] = {}
        for name, caps in self.providers.items():
            if caps.base_url in seen:
                raise ValueError(
                    f"providers {seen[caps.base_url]!r} and {name!r} both have base_url {caps.base_url}"
                )
            seen[caps.base_url] = name
        return self


def normalise_url(url: str) -> str:
    return url.strip().rstrip("/")


def load_budgets(config_dir: Path) -> BudgetsConfig:
    """The budgets file of a config folder; no file: no provider caps."""
    path = config_dir / BUDGETS_FILE
    if not path.exists():
        return BudgetsConfig()
    return load(BudgetsConfig, path)


def provider_for(
    config: BudgetsConfig, base_url: str | None, path: Path | str = BUDGETS_FILE
) -> tuple[str, ProviderCaps] | None:
    """The provider entry of the cloud endpoint in use (`OPENAI_BASE_URL`, else OpenAI's).

    None when the file lists no providers. A file that lists providers but none for this endpoint is an
    error: caps the team wrote down must not silently fail to apply.
    """
    if not config.providers:
        return None
    url = normalise_url(base_url or OPENAI_BASE_URL)
    for name, caps in config.providers.items():
        if caps.base_url == url:
            return name, caps
    listed = ", ".join(f"{n} ({c.base_url})" for n, c in config.providers.items())
    raise ConfigError(
        f"{path}: providers: none has base_url {url}, the cloud endpoint in use (OPENAI_BASE_URL); "
        f"listed: {listed}. Add an entry for it, or remove the providers that do not apply"
    )
