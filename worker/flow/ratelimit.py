"""A global requests/min and tokens/min limiter for the cloud API, shared by every worker through Redis.

Algorithm: a *scheduled sliding-window log*. Each grant is an entry `(send_at, requests, tokens)` in a
sorted set; one Lua script expires old entries, finds the earliest `send_at` (never before the newest
entry already granted) at which the window ending there holds room for the new request in both budgets,
and appends the entry — or answers "not within your timeout" and appends nothing. The caller sleeps
exactly until `send_at`, once; nobody polls.

Why a log and not a token bucket / GCRA: a bucket of capacity C refilling at R per window admits C + R
in some window, so it meets "never above R in any 60 s window" only with C -> 0, and then a GCRA with
variable costs still overshoots by the last request's cost. The log checks the invariant itself: a grant
at t is made only if every entry in (t - W, t] plus the new one fits, and grants are appended in `send_at`
order, so every window of length W — wherever it starts — holds at most the limit. The price is memory
(one entry per request in the last window, ~100 bytes each) and a burst of up to the whole budget at the
start of a window; the reservation queue gives FIFO fairness between waiting workers.

Time is Redis's `TIME`, so workers on machines with skewed clocks share one timeline. `slack_s` keeps an
entry counted a little longer than the window, so jitter between our send time and the provider's arrival
time cannot make two requests look closer than W to the provider.
"""

from __future__ import annotations

import math
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from worker.errors import NoBackendAvailable, PermanentBackendError
from worker.store.ratelimit import RateLedger

__all__ = [
    "RateLimitWait",
    "RateLimiter",
    "RequestTooLarge",
    "Reservation",
    "estimate_tokens",
    "parse_duration_s",
]

_US = 1_000_000


class RateLimitWait(NoBackendAvailable):
    """The budget frees up later than the caller is willing to wait; re-schedule after `retry_after_s`.

    A NoBackendAvailable: nothing was sent, so it is not a failed attempt, only a wait."""

    retry_after_s: float

    def __init__(self, retry_after_s: float):
        super().__init__(
            f"cloud rate limit: next slot in {retry_after_s:.2f}s",
            kind="rate_limit_wait",
            retry_after_s=retry_after_s,
        )


class RequestTooLarge(PermanentBackendError):
    """One request needs more tokens than the whole per-window budget: it can never be sent."""

    def __init__(self, tokens: int, tpm: int):
        super().__init__(
            f"request needs ~{tokens} tokens, more than the {tpm} tokens/min limit", kind="too_many_tokens"
        )


def estimate_tokens(messages: Sequence[Mapping[str, object]], max_output_tokens: int) -> int:
    """Tokens a chat call may cost before it is sent: ~4 characters per token, the chat template's few
    tokens per message, plus the most the answer may take. An overestimate is settled after the call."""
    prompt = 3
    for message in messages:
        content = message.get("content")
        if isinstance(content, list):
            content = "\n".join(
                str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") == "text"
            )
        prompt += 4 + math.ceil(len(content if isinstance(content, str) else "") / 4)
    return prompt + max(0, max_output_tokens)


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")


def parse_duration_s(text: str) -> float | None:
    """OpenAI's reset durations ("120ms", "1s", "6m0s", "1h2m3.5s") in seconds; None if unparsable."""
    text = text.strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))  # a bare number: seconds
    except ValueError:
        pass
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(a + b for a, b in parts) != text:
        return None
    scale = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    return sum(float(value) * scale[unit] for value, unit in parts)


@dataclass
class Reservation:
    """One granted request: settle it with the reported usage, or release it if nothing was sent."""

    limiter: RateLimiter
    id: str
    estimated_tokens: int
    waited_s: float
    send_at_s: float  # on Redis's clock (epoch seconds): where the limiter booked this request
    done: bool = field(default=False, init=False)

    def settle(self, actual_tokens: int) -> None:
        """Replace the estimate with the usage the provider reported (frees budget when we overestimated)."""
        if not self.done:
            self.done = True
            self.limiter._settle(self.id, max(0, actual_tokens))

    def release(self) -> None:
        """Give the request back: only when nothing reached the provider (it counts what it received)."""
        if not self.done:
            self.done = True
            self.limiter._release(self.id)


class RateLimiter:
    """Requests/window and tokens/window budgets shared through Redis by every process on every machine.

    `rpm` / `tpm` of None switch that budget off. `window_s` is 60 for real limits; benchmarks may shrink
    it (the limits then mean "per window"). Keys live under one hash tag, so Redis Cluster works.
    """

    def __init__(
        self,
        ledger: RateLedger,
        rpm: int | None,
        tpm: int | None,
        *,
        window_s: float = 60.0,
        slack_s: float = 1.0,
    ):
        if rpm is None and tpm is None:
            raise ValueError("a RateLimiter needs rpm, tpm or both")
        for name, value in (("rpm", rpm), ("tpm", tpm)):
            if value is not None and value < 1:
                raise ValueError(f"{name} must be >= 1")
        if window_s <= 0 or slack_s < 0:
            raise ValueError("window_s must be > 0 and slack_s >= 0")
        self._ledger = ledger  # the Redis side: worker/store/ratelimit.py
        self.rpm = rpm
        self.tpm = tpm
        self.window_s = window_s
        self.slack_s = slack_s
        self._window_us = round((window_s + slack_s) * _US)

    def acquire(self, estimated_tokens: int, timeout_s: float) -> Reservation:
        """Block until both budgets allow this request (one exact sleep), or raise RateLimitWait at once
        when that would take longer than `timeout_s`. Raises RequestTooLarge if it can never fit."""
        tokens = max(0, int(estimated_tokens))
        if self.tpm is not None and tokens > self.tpm:
            raise RequestTooLarge(tokens, self.tpm)
        reservation_id = uuid.uuid4().hex
        status, wait_us, send_at_us = self._ledger.acquire(
            self.rpm or 0,
            self.tpm or 0,
            self._window_us,
            tokens,
            max(0, round(timeout_s * _US)),
            reservation_id,
        )
        wait_s = wait_us / _US
        if status == 0:
            raise RateLimitWait(retry_after_s=wait_s)
        if status < 0:  # only reachable if the limits changed under a running fleet
            raise RequestTooLarge(tokens, self.tpm or 0)
        if wait_s > 0:
            time.sleep(wait_s)
        return Reservation(self, reservation_id, tokens, wait_s, send_at_us / _US)

    def observe_headers(self, headers: Mapping[str, str]) -> tuple[int, int]:
        """Adapt to the provider's `x-ratelimit-remaining-*` / `x-ratelimit-reset-*` headers.

        When the provider has less left than our ledger says (another client on the same key, a lower real
        limit), the difference is booked until the provider's reset time, so every worker slows down.
        Returns the (requests, tokens) booked; (0, 0) when the provider agrees with us or sent nothing."""
        lowered = {k.lower(): v for k, v in headers.items()}

        def remaining(kind: str) -> tuple[int, int]:
            try:
                left = int(float(lowered[f"x-ratelimit-remaining-{kind}"]))
            except (KeyError, ValueError):
                return -1, 0
            reset_s = parse_duration_s(lowered.get(f"x-ratelimit-reset-{kind}", "")) or self.window_s
            return max(0, left), round(reset_s * _US)

        left_req, reset_req = remaining("requests")
        left_tok, reset_tok = remaining("tokens")
        if left_req < 0 and left_tok < 0:
            return 0, 0
        return self._ledger.observe(
            self.rpm or 0,
            self.tpm or 0,
            self._window_us,
            left_req if self.rpm else -1,
            reset_req,
            left_tok if self.tpm else -1,
            reset_tok,
            f"hdr:{uuid.uuid4().hex}:",
        )

    def usage(self) -> tuple[int, int]:
        """(requests, tokens) booked in the current window, reservations not yet sent included."""
        return self._ledger.usage(self._window_us)

    def _settle(self, reservation_id: str, tokens: int) -> None:
        self._ledger.settle(reservation_id, tokens)

    def _release(self, reservation_id: str) -> None:
        self._ledger.release(reservation_id)
