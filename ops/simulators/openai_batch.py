"""The OpenAI Files and Batch APIs of the OpenAI simulator: `/v1/files` and `/v1/batches`.

Uploads arrive as the official client sends them (multipart/form-data); a batch moves through
`validating -> in_progress -> finalizing -> completed` over `BatchSimConfig.completion_s`, computed when it
is looked at, and can be made to fail requests (error file), expire or be cancelled. Output lines come in
a shuffled order, as the real API does not promise input order. Every request of an uploaded batch file
is recorded in the simulator's `requests` (that is when the text left the caller) and every answer in
`answered`, like real-time calls, so tests can prove what left and what was billed.
"""

from __future__ import annotations

import dataclasses
import json
import random
import threading
import time
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ops.simulators.answers import GenRequest
from ops.simulators.common import BaseSimulator
from ops.simulators.http import Handler, dumps
from ops.simulators.openai_batch_records import (
    CANCELLED_MESSAGE,
    EXPIRED_MESSAGE,
    FILE_PURPOSES,
    TERMINAL,
    BatchSimConfig,
    SimBatch,
    StoredFile,
)
from ops.simulators.openai_batch_wire import ENDPOINT, multipart, page, validate
from ops.simulators.openai_batch_wire import error as _error

# The 400 the real API gives for a request body, as (message, type, param, code), or None if it is valid.
Invalid = Callable[[dict[str, Any]], tuple[str, str, str | None, str | None] | None]


class BatchAPI:
    """`/v1/files` and `/v1/batches` for one OpenAI simulator (ops/simulators/openai_sim.py), which
    answers each request line as it answers /v1/chat/completions (`invalid` is its request check)."""

    def __init__(self, sim: BaseSimulator, invalid: Invalid) -> None:
        self.sim = sim
        self._invalid = invalid
        self.config = BatchSimConfig()
        self._lock = threading.RLock()
        self.files: dict[str, StoredFile] = {}
        self.batches: dict[str, SimBatch] = {}
        # (input file id, custom_id) of every request uploaded in a batch file, in upload order.
        self.uploaded: list[tuple[str, str]] = []

    # -- control (tests and `turnout sim`)
    def configure(self, **changes: Any) -> None:
        """Change the batch behaviour; unknown fields raise. Batches already created keep theirs."""
        if "fail_custom_ids" in changes:
            changes["fail_custom_ids"] = frozenset(changes["fail_custom_ids"])
        with self._lock:
            self.config = dataclasses.replace(self.config, **changes)

    def reset(self) -> None:
        """Forget every file and batch, and go back to the default behaviour."""
        with self._lock:
            self.config = BatchSimConfig()
            self.files.clear()
            self.batches.clear()
            self.uploaded.clear()

    def created(self) -> list[SimBatch]:
        with self._lock:
            return list(self.batches.values())

    # -- HTTP
    @staticmethod
    def handles(path: str) -> bool:
        return path == "/v1/files" or path.startswith(("/v1/files/", "/v1/batches"))

    def dispatch(self, h: Handler, path: str) -> None:
        with self._lock:
            if self.config.fail_next_calls > 0:
                self.config = dataclasses.replace(
                    self.config, fail_next_calls=self.config.fail_next_calls - 1
                )
                h.send_json(
                    500, _error("The server had an error while processing your request.", "server_error")
                )
                return
        query = {k: v[-1] for k, v in parse_qs(urlsplit(h.path).query).items()}
        parts = path.strip("/").split("/")[1:]  # drop "v1"
        method = h.command
        if parts == ["files"] and method == "POST":
            self._upload(h)
        elif parts == ["files"] and method == "GET":
            self._list_files(h, query)
        elif len(parts) == 2 and parts[0] == "files" and method in ("GET", "DELETE"):
            self._file(h, parts[1], delete=method == "DELETE")
        elif len(parts) == 3 and parts[0] == "files" and parts[2] == "content" and method == "GET":
            self._content(h, parts[1])
        elif parts == ["batches"] and method == "POST":
            self._create(h)
        elif parts == ["batches"] and method == "GET":
            self._list_batches(h, query)
        elif len(parts) == 2 and parts[0] == "batches" and method == "GET":
            self._retrieve(h, parts[1])
        elif len(parts) == 3 and parts[0] == "batches" and parts[2] == "cancel" and method == "POST":
            self._cancel(h, parts[1])
        else:
            h.send_json(404, _error(f"Invalid URL ({method} {path})"))

    # -- files
    def _upload(self, h: Handler) -> None:
        fields = multipart(h.headers.get("Content-Type", ""), h.body)
        if fields is None:
            h.send_json(400, _error("Expected a multipart/form-data body."))
            return
        purpose = fields.get("purpose", (None, b""))[1].decode("utf-8", "replace")
        if "file" not in fields:
            h.send_json(400, _error("Missing required parameter: 'file'.", param="file"))
            return
        if purpose not in FILE_PURPOSES:
            h.send_json(400, _error(f"Invalid value for 'purpose': {purpose!r}.", param="purpose"))
            return
        filename, content = fields["file"]
        file = StoredFile(self._id("file-", 24), filename or "upload", purpose, content, int(time.time()))
        with self._lock:
            self.files[file.id] = file
        if purpose == "batch":
            self._record_upload(file)
        h.send_json(200, file.as_json())

    def _record_upload(self, file: StoredFile) -> None:
        """What left the caller: every request body of a batch file, like a real-time call's body."""
        for line in file.content.splitlines():
            try:
                request = json.loads(line)
            except ValueError:
                continue
            if not isinstance(request, dict):
                continue
            if isinstance(request.get("body"), dict):
                self.sim.record(request["body"])
            with self._lock:
                self.uploaded.append((file.id, str(request.get("custom_id"))))

    def _list_files(self, h: Handler, query: dict[str, str]) -> None:
        with self._lock:
            files = [f for f in self.files.values() if query.get("purpose") in (None, f.purpose)]
        files.sort(key=lambda f: (f.created_at, f.id), reverse=query.get("order", "desc") != "asc")
        h.send_json(200, page([f.as_json() for f in files], query, default_limit=10_000))

    def _file(self, h: Handler, file_id: str, delete: bool) -> None:
        with self._lock:
            file = self.files.pop(file_id, None) if delete else self.files.get(file_id)
        if file is None:
            h.send_json(404, _error(f"No such File object: {file_id}", param="id"))
        elif delete:
            h.send_json(200, {"id": file_id, "object": "file", "deleted": True})
        else:
            h.send_json(200, file.as_json())

    def _content(self, h: Handler, file_id: str) -> None:
        with self._lock:
            file = self.files.get(file_id)
        if file is None:
            h.send_json(404, _error(f"No such File object: {file_id}", param="id"))
            return
        h.send_bytes(200, file.content, "application/octet-stream")

    # -- batches
    def _create(self, h: Handler) -> None:
        body, problem = self.sim.parse_body(h)
        if problem or not isinstance(body, dict):
            h.send_json(400, _error("We could not parse the JSON body of your request."))
            return
        for name in ("input_file_id", "endpoint", "completion_window"):
            if not isinstance(body.get(name), str):
                h.send_json(400, _error(f"Missing required parameter: '{name}'.", param=name))
                return
        if body["endpoint"] != ENDPOINT:
            h.send_json(
                400,
                _error(
                    f"Unsupported endpoint {body['endpoint']!r} (simulated: {ENDPOINT}).", param="endpoint"
                ),
            )
            return
        if body["completion_window"] != "24h":
            h.send_json(
                400,
                _error(
                    "Invalid value for 'completion_window': only '24h' is supported.",
                    param="completion_window",
                ),
            )
            return
        with self._lock:
            file = self.files.get(body["input_file_id"])
            config = self.config
        if file is None or file.purpose != "batch":
            h.send_json(
                400, _error(f"Invalid 'input_file_id': '{body['input_file_id']}'.", param="input_file_id")
            )
            return
        lines, errors = validate(file.content, config.max_requests, config.max_bytes)
        batch = SimBatch(
            id=self._id("batch_", 24),
            input_file_id=file.id,
            metadata=body.get("metadata"),
            created_at=time.time(),
            config=config,
            lines=lines,
            errors=errors,
        )
        with self._lock:
            self.batches[batch.id] = batch
            self._advance(batch)
            h.send_json(200, batch.as_json())

    def _retrieve(self, h: Handler, batch_id: str) -> None:
        with self._lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                h.send_json(404, _error(f"No batch found with id '{batch_id}'.", param="batch_id"))
                return
            self._advance(batch)
            h.send_json(200, batch.as_json())

    def _cancel(self, h: Handler, batch_id: str) -> None:
        with self._lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                h.send_json(404, _error(f"No batch found with id '{batch_id}'.", param="batch_id"))
                return
            self._advance(batch)
            if batch.status in TERMINAL:
                h.send_json(409, _error(f"Cannot cancel a batch with status '{batch.status}'."))
                return
            batch.cancel_requested = True
            batch.status = "cancelling"
            batch.stamps.setdefault("cancelling_at", int(time.time()))
            h.send_json(200, batch.as_json())

    def _list_batches(self, h: Handler, query: dict[str, str]) -> None:
        with self._lock:
            batches = sorted(self.batches.values(), key=lambda b: (b.created_at, b.id), reverse=True)
            for batch in batches:
                self._advance(batch)
            data = [b.as_json() for b in batches]
        h.send_json(200, page(data, query, default_limit=20, max_limit=100))

    # -- the lifecycle, computed when a batch is looked at (under the lock)
    def _advance(self, batch: SimBatch) -> None:
        if batch.status in TERMINAL:
            return
        now = time.time()
        if batch.errors:
            batch.status = "failed"
            batch.stamps["failed_at"] = int(now)
            return
        if batch.cancel_requested:
            self._finish(batch, "cancelled", answered=self._answered_so_far(batch, now))
            return
        span = batch.config.completion_s
        elapsed = now - batch.created_at
        if elapsed >= span:
            if batch.config.expire:
                self._finish(batch, "expired", answered=batch.config.expire_answered)
            else:
                self._finish(batch, "completed", answered=len(batch.lines))
            return
        if elapsed < 0.1 * span:
            return  # validating
        batch.stamps.setdefault("in_progress_at", int(now))
        if elapsed < 0.9 * span:
            batch.status = "in_progress"
            done = self._answered_so_far(batch, now)
            failing = sum(1 for line in batch.lines[:done] if self._fails(batch, line["custom_id"]))
            batch.completed, batch.failed = done - failing, failing
        else:
            batch.status = "finalizing"
            batch.stamps.setdefault("finalizing_at", int(now))

    @staticmethod
    def _answered_so_far(batch: SimBatch, now: float) -> int:
        span = batch.config.completion_s
        share = (now - batch.created_at - 0.1 * span) / (0.8 * span) if span > 0 else 1.0
        return max(0, min(len(batch.lines), int(len(batch.lines) * share)))

    def _fails(self, batch: SimBatch, custom_id: str) -> bool:
        config = batch.config
        if custom_id in config.fail_custom_ids:
            return True
        return config.fail_rate > 0 and (zlib.crc32(custom_id.encode()) % 10_000) < config.fail_rate * 10_000

    def _finish(self, batch: SimBatch, status: str, answered: int) -> None:
        outputs: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        code, message = (
            ("batch_cancelled", CANCELLED_MESSAGE)
            if status == "cancelled"
            else ("batch_expired", EXPIRED_MESSAGE)
        )
        for n, line in enumerate(batch.lines):
            custom_id = line["custom_id"]
            if n >= answered:
                errors.append(
                    {
                        "id": self._id("batch_req_", 32),
                        "custom_id": custom_id,
                        "response": None,
                        "error": {"code": code, "message": message},
                    }
                )
                continue
            status_code, body = self._answer(batch, line)
            entry = {
                "id": self._id("batch_req_", 32),
                "custom_id": custom_id,
                "response": {"status_code": status_code, "request_id": self._id("req_", 32), "body": body},
                "error": None,
            }
            (outputs if status_code == 200 else errors).append(entry)
        rng = random.Random(batch.id)  # the real API does not keep input order; neither do we
        rng.shuffle(outputs)
        rng.shuffle(errors)
        batch.output_file_id = self._store_output(batch, "output", outputs)
        batch.error_file_id = self._store_output(batch, "error", errors)
        batch.completed, batch.failed = len(outputs), len(errors)
        batch.status = status
        batch.stamps[f"{status}_at"] = int(time.time())
        if status == "completed":
            batch.stamps.setdefault("finalizing_at", int(time.time()))

    def _answer(self, batch: SimBatch, line: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        body = line["body"]
        if self._fails(batch, line["custom_id"]):
            return 500, _error("The server had an error while processing your request.", "server_error")
        invalid = self._invalid(body)
        if invalid:
            return 400, _error(*invalid)
        if not self.sim.model_known(body["model"]):
            return 404, _error(
                f"The model `{body['model']}` does not exist or you do not have access to it.",
                code="model_not_found",
            )
        fmt = body.get("response_format") or {}
        schema = (
            (fmt.get("json_schema") or {}).get("schema", {}) if fmt.get("type") == "json_schema" else None
        )
        limit = body.get("max_completion_tokens", body.get("max_tokens"))
        req = GenRequest(
            model=body["model"],
            messages=body["messages"],
            stream=False,
            json_mode=fmt.get("type") == "json_object",
            schema=schema,
            max_tokens=limit if isinstance(limit, int) else None,
        )
        answer = self.sim._invalid_answer(req) or self.sim.answer(req)  # SimConfig applies too
        self.sim.answered.append(
            {
                "model": req.model,
                "messages": req.messages,
                "prompt_tokens": answer.prompt_tokens,
                "completion_tokens": answer.completion_tokens,
                "custom_id": line["custom_id"],
                "batch": batch.id,
            }
        )
        batch.usage["input"] += answer.prompt_tokens
        batch.usage["output"] += answer.completion_tokens
        return 200, self.sim.render(req, answer, time.perf_counter_ns())

    def _store_output(self, batch: SimBatch, kind: str, entries: list[dict[str, Any]]) -> str | None:
        if not entries:
            return None
        content = b"".join(dumps(e) + b"\n" for e in entries)
        file = StoredFile(
            self._id("file-", 24), f"{batch.id}_{kind}.jsonl", "batch_output", content, int(time.time())
        )
        self.files[file.id] = file
        return file.id

    def _id(self, prefix: str, length: int) -> str:
        return prefix + self.sim.next_id()[:length]
