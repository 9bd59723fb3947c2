"""The records of the simulated Files and Batch APIs: how batches behave, a stored file, a batch, and
each one as the API returns it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ops.simulators.openai_batch_wire import ENDPOINT

FILE_PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
BATCH_FILE_TTL_S = 30 * 86_400
TERMINAL = ("completed", "failed", "expired", "cancelled")
EXPIRED_MESSAGE = "This request could not be executed before the completion window expired."
CANCELLED_MESSAGE = "This request was not executed because the batch was cancelled."


@dataclass
class BatchSimConfig:
    """How simulated batches behave; change it at runtime with `BatchAPI.configure`."""

    completion_s: float = 0.5  # from creation to a terminal status
    fail_custom_ids: frozenset[str] = frozenset()  # these requests answer 500 (in the error file)
    fail_rate: float = 0.0  # this share of requests (chosen by a hash of custom_id) answer 500
    expire: bool = False  # batches created from now on expire at completion_s instead of completing
    expire_answered: int = 0  # requests an expiring batch answers first (in file order)
    fail_next_calls: int = 0  # the next N calls to /v1/files or /v1/batches answer 500
    max_requests: int = 50_000  # per input file; more fails validation
    max_bytes: int = 200_000_000


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    content: bytes
    created_at: int

    def as_json(self) -> dict[str, Any]:
        expires = self.created_at + BATCH_FILE_TTL_S if self.purpose == "batch" else None
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.content),
            "created_at": self.created_at,
            "expires_at": expires,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
            "status_details": None,
        }


@dataclass
class SimBatch:
    id: str
    input_file_id: str
    metadata: dict[str, str] | None
    created_at: float
    config: BatchSimConfig
    lines: list[dict[str, Any]]  # the parsed input lines
    errors: list[dict[str, Any]] = field(default_factory=list)  # validation errors: the batch failed
    status: str = "validating"
    stamps: dict[str, int] = field(default_factory=dict)
    output_file_id: str | None = None
    error_file_id: str | None = None
    completed: int = 0
    failed: int = 0
    usage: dict[str, int] = field(default_factory=lambda: {"input": 0, "output": 0})
    cancel_requested: bool = False

    def as_json(self) -> dict[str, Any]:
        created = int(self.created_at)
        usage = None
        if self.status in TERMINAL:
            usage = {
                "input_tokens": self.usage["input"],
                "input_tokens_details": {"cached_tokens": 0},
                "output_tokens": self.usage["output"],
                "output_tokens_details": {"reasoning_tokens": 0},
                "total_tokens": self.usage["input"] + self.usage["output"],
            }
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": ENDPOINT,
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            "input_file_id": self.input_file_id,
            "completion_window": "24h",
            "status": self.status,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "created_at": created,
            "in_progress_at": self.stamps.get("in_progress_at"),
            "expires_at": created + 86_400,
            "finalizing_at": self.stamps.get("finalizing_at"),
            "completed_at": self.stamps.get("completed_at"),
            "failed_at": self.stamps.get("failed_at"),
            "expired_at": self.stamps.get("expired_at"),
            "cancelling_at": self.stamps.get("cancelling_at"),
            "cancelled_at": self.stamps.get("cancelled_at"),
            "request_counts": {
                "total": len(self.lines),
                "completed": self.completed,
                "failed": self.failed,
            },
            "metadata": self.metadata,
            "model": self.lines[0]["body"].get("model") if self.lines else None,
            "usage": usage,
        }
