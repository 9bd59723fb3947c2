"""Process settings: built once from the environment, validated, passed down explicitly.

Everything is read from `TURNOUT_*` variables, plus the standard `OPENAI_API_KEY`, `OPENAI_BASE_URL` and
`OLLAMA_HOST`. A misspelt `TURNOUT_*` variable is an error, not a silently ignored setting.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from worker.errors import SettingsError

ENV_PREFIX = "TURNOUT_"
BROKER_SCHEMES = ("redis://", "rediss://", "unix://")
REPO_CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
# A SIGKILLed local worker's Ollama slots stay taken this long; renewed every second, a lease outlasts a
# renewal up to 7 s late. Worst gap between renewals measured on the shared 2-core VM, both cores spun by
# two busy processes on top of other work: 2.6 s with the local pool's 4 threads busy without pause, 7.9 s
# with 32 (load average 31) (tests/bench/bench_lease_renewal.py; docs/performance.md).
OLLAMA_SLOT_LEASE_S = 8.0
# Local-pool threads beyond the slots (Settings.local_concurrency): a freed slot finds a job already
# opened and waiting as long as the spares outnumber the slots that free up during one thread's
# bookkeeping between two calls (~10-25 ms on a busy core): slots x that / the call's latency, under 1
# for 4 slots at 250 ms, ~3 for 32. A quarter of the slots, at least 2, covers 100 ms calls.
LOCAL_SPARE_THREADS_MIN = 2
LOCAL_SPARE_THREADS_SHARE = 0.25


class Settings(BaseSettings):
    """All of Turnout's runtime settings. Units are in the names."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="forbid", frozen=True, populate_by_name=True
    )

    broker_url: str | None = Field(
        default=None, description="Redis URL (redis:// or rediss://). Unset: `turnout run` embeds one."
    )
    config_dir: Path = Field(default=REPO_CONFIG_DIR, description="Folder with routing/pricing/prompts YAML.")
    ollama_hosts: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        validation_alias=AliasChoices("TURNOUT_OLLAMA_HOSTS", "OLLAMA_HOST"),
        description="Comma-separated Ollama base URLs; OLLAMA_HOST is honoured when this is unset.",
    )
    ollama_parallel: int = Field(default=4, ge=1, description="Parallel slots per Ollama host.")
    local_openai_hosts: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description=(
            "Comma-separated base URLs of OpenAI-compatible servers on your own hardware (vLLM, llama.cpp, "
            "SGLang, TGI), e.g. http://gpu2:8000/v1. They serve the local route next to the Ollama hosts."
        ),
    )
    local_openai_parallel: int = Field(
        default=16, ge=1, description="Parallel slots per OpenAI-compatible local host (vLLM batches dozens)."
    )
    local_openai_api_key: SecretStr | None = Field(
        default=None, description="The key the OpenAI-compatible local hosts expect (vLLM --api-key), if any."
    )
    host_cooldown_s: float = Field(
        default=10.0,
        ge=0,
        description="Longest a failing local host is skipped (unless it says how long): 1 s after one "
        "failure, doubled for each failure in a row, at most this.",
    )
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "TURNOUT_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "TURNOUT_OPENAI_BASE_URL")
    )
    request_timeout_s: float = Field(default=120.0, gt=0, description="Timeout of one backend call.")
    max_attempts: int = Field(default=5, ge=1, description="Backend attempts per job before it fails.")
    backend_wait_max_s: float = Field(
        default=1800.0,
        gt=0,
        description="How long a job waits for a backend of its route to become available before it fails.",
    )
    max_deliveries: int = Field(
        default=10,
        ge=1,
        description="Deliveries of one job (retries and re-deliveries) before it is dead-lettered.",
    )
    visibility_timeout_s: int = Field(
        default=3600,
        ge=5,
        description="Unacknowledged jobs are re-delivered after this long; must exceed the longest wait plus run.",
    )
    retry_backoff_s: float = Field(default=1.0, gt=0, description="First retry delay; doubles per attempt.")
    retry_backoff_max_s: float = Field(default=60.0, gt=0)
    ollama_slot_lease_s: float = Field(
        default=OLLAMA_SLOT_LEASE_S,
        gt=0,
        description="Fleet-wide Ollama slot lease; renewed while held, a dead worker's slots free up after it.",
    )
    cloud_rpm: int | None = Field(
        default=None, ge=1, description="Cloud API requests per minute for the whole fleet (unset: no limit)."
    )
    cloud_tpm: int | None = Field(
        default=None, ge=1, description="Cloud API tokens per minute for the whole fleet (unset: no limit)."
    )
    cloud_max_output_tokens: int = Field(
        default=1024, ge=1, description="Most tokens one cloud answer may use (max_completion_tokens)."
    )
    cloud_rate_wait_s: float = Field(
        default=30.0,
        ge=0,
        description="How long a cloud thread sleeps for rate-limit budget before re-scheduling the job.",
    )
    cloud_breaker_failures: int = Field(
        default=5, ge=1, description="Consecutive cloud failures (5xx, timeouts) that open the circuit."
    )
    cloud_breaker_open_s: float = Field(
        default=30.0,
        gt=0,
        description="How long an open circuit stops cloud calls before one is tried again.",
    )
    classify_concurrency: int = Field(default=2, ge=1, description="Processes in the classify pool.")
    cloud_concurrency: int = Field(default=8, ge=1, description="Threads in the cloud pool.")
    max_document_bytes: int = Field(default=5_000_000, gt=0)
    load_timeout_s: float = Field(
        default=30.0,
        gt=0,
        description="Longest a PDF, DOCX or HTML file may take to parse; longer is a rejection.",
    )
    retention_s: float = Field(
        default=7 * 86_400.0,
        gt=0,
        description="How long a finished batch's records (jobs, results, counters, events, reuse index) "
        "stay in Redis before they expire; `turnout purge` removes one at once.",
    )
    document_keep_s: float = Field(
        default=0.0,
        ge=0,
        description="How long a document's text outlives its last job (0: deleted when that job ends).",
    )
    max_in_flight_jobs: int = Field(
        default=10_000,
        ge=1,
        description="A submission waits while this many of its jobs are unfinished: Redis holds a window "
        "of documents, not the whole corpus.",
    )
    log_format: Literal["console", "json"] = "console"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="`turnout worker` serves Prometheus metrics on this port. Unset: no metrics server.",
    )
    metrics_address: str = Field(
        default="127.0.0.1", description="Interface the metrics server binds (0.0.0.0 in containers)."
    )

    @field_validator("broker_url")
    @classmethod
    def _broker_scheme(cls, value: str | None) -> str | None:
        # redis-py's own complaint comes later, as a traceback from deep inside kombu or the store.
        if value is not None and value and not value.startswith(BROKER_SCHEMES):
            shown = value.split("@")[-1]  # never echo a password
            raise ValueError(
                f"{shown!r} is not a Redis URL: it must start with {', '.join(BROKER_SCHEMES)} "
                f"(e.g. redis://{shown if '://' not in shown else 'localhost:6379'}/0)"
            )
        return value

    @field_validator("ollama_hosts", "local_openai_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(_normalise_host(h) for h in value.split(",") if h.strip())
        return value

    @model_validator(mode="after")
    def _check_delivery_bounds(self) -> Settings:
        worst_wait_and_run_s = self.worst_wait_and_run_s
        if self.visibility_timeout_s <= worst_wait_and_run_s:
            raise ValueError(
                f"visibility_timeout_s ({self.visibility_timeout_s}) must exceed request_timeout_s + "
                f"retry_backoff_max_s ({worst_wait_and_run_s:g}), or running jobs are delivered twice"
            )
        shared = set(self.ollama_hosts) & set(self.local_openai_hosts)
        if shared:
            raise ValueError(f"a host is listed as both Ollama and OpenAI-compatible: {sorted(shared)[0]}")
        if self.max_deliveries < self.max_attempts:
            raise ValueError("max_deliveries must be at least max_attempts")
        if self.document_keep_s > self.retention_s:
            raise ValueError("document_keep_s must not exceed retention_s: no text outlives its records")
        return self

    @property
    def local_hosts(self) -> tuple[str, ...]:
        """Every local host, Ollama ones first, in the order configured (ties in load go to the first)."""
        return self.ollama_hosts + self.local_openai_hosts

    @property
    def local_slots(self) -> dict[str, int]:
        """Parallel slots per local host: each kind has its own setting."""
        slots = dict.fromkeys(self.ollama_hosts, self.ollama_parallel)
        slots.update(dict.fromkeys(self.local_openai_hosts, self.local_openai_parallel))
        return slots

    @property
    def worst_wait_and_run_s(self) -> float:
        """The longest a delivered job may take before it is acknowledged: the visibility timeout must
        exceed it (worker/retry.py keeps countdowns inside what is left)."""
        rate_wait_s = self.cloud_rate_wait_s if (self.cloud_rpm or self.cloud_tpm) else 0.0
        # A local call may first wait up to request_timeout_s for a free slot, then run as long.
        return 2 * self.request_timeout_s + self.retry_backoff_max_s + rate_wait_s

    @property
    def local_configured(self) -> bool:
        return bool(self.local_hosts)

    @property
    def cloud_configured(self) -> bool:
        return self.openai_api_key is not None or self.openai_base_url is not None

    @property
    def local_slot_count(self) -> int:
        """Every slot of every local host (the fleet's, shared by all local worker processes)."""
        return max(1, sum(self.local_slots.values()) or self.ollama_parallel)

    @property
    def local_concurrency(self) -> int:
        """Threads in the local pool: one per slot of every host, plus spares.

        A thread whose call was answered still records the result, acknowledges, and opens its next job
        before it asks for a slot again; with one thread per slot, the slot it gave back idles all that
        while. A spare thread has its job opened and waits on the slots (woken by a release), so a freed
        slot's next call starts at once. The fleet-wide slots, not the threads, keep each host at its
        `parallel`: a spare never sends a request above it."""
        slots = self.local_slot_count
        return slots + max(LOCAL_SPARE_THREADS_MIN, math.ceil(slots * LOCAL_SPARE_THREADS_SHARE))

    def routing_file(self) -> Path:
        return self.config_dir / "routing.yaml"

    def pricing_file(self) -> Path:
        return self.config_dir / "pricing.yaml"

    def prompts_file(self) -> Path:
        return self.config_dir / "prompts.yaml"

    def worker_environment(self) -> dict[str, str]:
        """The environment a child process needs to rebuild these exact settings."""
        env: dict[str, str] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value is None or value == ():
                continue
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            elif isinstance(value, tuple):
                value = ",".join(value)
            alias = field.validation_alias
            key = alias.choices[0] if isinstance(alias, AliasChoices) else ENV_PREFIX + name.upper()
            env[str(key)] = str(value)
        return env


def _normalise_host(host: str) -> str:
    host = host.strip().rstrip("/")
    if "://" not in host:
        host = "http://" + host
    return host


def known_turnout_variables() -> set[str]:
    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    for field in Settings.model_fields.values():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            known.update(str(choice) for choice in alias.choices if str(choice).startswith(ENV_PREFIX))
    return known


def unknown_turnout_variables(environ: Mapping[str, str]) -> list[str]:
    known = known_turnout_variables()
    return sorted(key for key in environ if key.startswith(ENV_PREFIX) and key not in known)


def unknown_variable_message(unknown: list[str]) -> str:
    """The unknown names, each with the valid name it most likely meant (a typo), if one is close."""
    known = sorted(known_turnout_variables())
    named = []
    for key in unknown:
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
        named.append(f"{key} (did you mean {close[0]}?)" if close else key)
    return f"unknown setting(s): {', '.join(named)} (see .env.example for the valid names)"


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment; raise SettingsError naming what is wrong."""
    unknown = unknown_turnout_variables(os.environ)
    if unknown:
        raise SettingsError(unknown_variable_message(unknown))
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from None
