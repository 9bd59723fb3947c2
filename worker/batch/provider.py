"""The provider's Batch API through the official `openai` client: files and batches, never re-submitted.

Defence in depth: `upload` checks every request's sensitivity again right before the file is built, and
refuses the whole upload, before any network I/O, if one must never leave. SDK retries are off: a failed
step is retried by the polling task, with backoff.

Idempotency: the caller records its intent before `upload` and `create`. After a crash between the
provider's answer and our record, `find_file` / `find_batch` find what was already uploaded or created
(by file name, and by the group's metadata), so a provider batch is never created twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import openai

from worker.backends.openai_chat import translate_status_error
from worker.batch.jsonl import ENDPOINT, encode, request_line
from worker.errors import RetryableBackendError
from worker.privacy import guard_cloud
from worker.schema import Sensitivity

T = TypeVar("T")
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
LOOKBACK_S = 600  # how far before an intent `find_file`/`find_batch` look


@dataclass(frozen=True)
class StagedRequest:
    """One line of an input file, with the sensitivity of the job it comes from."""

    custom_id: str
    sensitivity: Sensitivity
    body: dict[str, Any]


@dataclass(frozen=True)
class ProviderBatch:
    id: str
    status: str
    total: int
    completed: int
    failed: int
    output_file_id: str | None
    error_file_id: str | None
    errors: tuple[str, ...] = ()

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL


class BatchProvider:
    def __init__(self, *, base_url: str | None, api_key: str | None, timeout_s: float):
        self._client = openai.OpenAI(
            base_url=base_url, api_key=api_key or "not-needed", max_retries=0, timeout=timeout_s
        )
        self.backend = "openai-batch:" + str(self._client.base_url).rstrip("/")
        # Where `turnout status` says a failing step's errors come from (scheme, host and port only).
        url = self._client.base_url
        self.address = f"the Batch API at {url.scheme}://{url.host}" + (f":{url.port}" if url.port else "")

    # -- files
    def upload(self, filename: str, requests: Sequence[StagedRequest]) -> str:
        """Upload the requests as one JSONL input file (purpose "batch"); returns the file id."""
        for request in requests:
            guard_cloud(request.custom_id, request.sensitivity, "the batch API")
        content = b"".join(encode(request_line(r.custom_id, r.body)) for r in requests)
        created = self._call(lambda: self._client.files.create(file=(filename, content), purpose="batch"))
        return created.id

    def find_file(self, filename: str, since: float) -> str | None:
        """The newest batch file uploaded under `filename` since `since` (minus a margin), if any."""

        def scan() -> str | None:
            for file in self._client.files.list(purpose="batch", order="desc"):
                if file.created_at < since - LOOKBACK_S:
                    return None
                if file.filename == filename:
                    return file.id
            return None

        return self._call(scan)

    def download(self, file_id: str) -> bytes:
        return self._call(lambda: self._client.files.content(file_id).read())

    def delete_file(self, file_id: str) -> None:
        self._call(lambda: self._client.files.delete(file_id))

    # -- batches
    def create(self, file_id: str, metadata: dict[str, str]) -> ProviderBatch:
        batch = self._call(
            lambda: self._client.batches.create(
                input_file_id=file_id, endpoint=ENDPOINT, completion_window="24h", metadata=metadata
            )
        )
        return _provider_batch(batch)

    def find_batch(self, file_id: str, metadata: dict[str, str], since: float) -> ProviderBatch | None:
        """A batch already created from `file_id` with this metadata (newest first), if any."""

        def scan() -> ProviderBatch | None:
            for batch in self._client.batches.list(limit=100):
                if batch.created_at < since - LOOKBACK_S:
                    return None
                if batch.input_file_id == file_id and all(
                    (batch.metadata or {}).get(k) == v for k, v in metadata.items()
                ):
                    return _provider_batch(batch)
            return None

        return self._call(scan)

    def retrieve(self, provider_batch_id: str) -> ProviderBatch:
        return _provider_batch(self._call(lambda: self._client.batches.retrieve(provider_batch_id)))

    def close(self) -> None:
        self._client.close()

    @staticmethod
    def _call(call: Callable[[], T]) -> T:
        """Map the SDK's errors onto retryable versus permanent, as the real-time backend does."""
        try:
            return call()
        except openai.APIStatusError as exc:
            raise translate_status_error(exc) from None
        except openai.APITimeoutError:
            raise RetryableBackendError("OpenAI batch API timed out", kind="timeout") from None
        except openai.APIConnectionError:
            raise RetryableBackendError("cannot connect to the OpenAI batch API", kind="connection") from None
        except (openai.APIResponseValidationError, ValueError):
            raise RetryableBackendError(
                "malformed response from the OpenAI batch API", kind="malformed_response"
            ) from None


def _provider_batch(batch: Any) -> ProviderBatch:
    counts = batch.request_counts
    errors = tuple(
        f"{e.code or 'error'}" + (f" (line {e.line})" if e.line else "")
        for e in ((batch.errors.data or []) if batch.errors else [])
    )
    return ProviderBatch(
        id=batch.id,
        status=batch.status,
        total=counts.total if counts else 0,
        completed=counts.completed if counts else 0,
        failed=counts.failed if counts else 0,
        output_file_id=batch.output_file_id,
        error_file_id=batch.error_file_id,
        errors=errors,
    )
