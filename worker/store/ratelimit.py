"""The Redis side of the cloud rate limits (worker/flow/ratelimit.py says how they work): one limiter's
request log, costs and sums, and the scripts that book, settle, release, observe and read them."""

from __future__ import annotations

import redis

from worker.store import keys
from worker.store.lua import source

_COMMON = "ratelimit_common"


class RateLedger:
    """One limiter's bookings (`key_prefix`: the provider's endpoint), under one hash tag."""

    def __init__(self, client: redis.Redis, key_prefix: str):
        self.keys = keys.rate_limit(key_prefix)
        self._acquire = client.register_script(source(_COMMON, "ratelimit_acquire"))
        self._settle = client.register_script(source("ratelimit_settle"))
        self._release = client.register_script(source("ratelimit_release"))
        self._observe = client.register_script(source(_COMMON, "ratelimit_observe"))
        self._usage = client.register_script(source(_COMMON, "ratelimit_usage"))

    def acquire(
        self, rpm: int, tpm: int, window_us: int, tokens: int, max_wait_us: int, reservation_id: str
    ) -> tuple[int, int, int]:
        """Book one request of `tokens` (0 for rpm or tpm: no such budget) if it can be sent within
        `max_wait_us`: (1, wait_us, send_at_us) granted; (0, wait_us, 0) it would wait longer; (-1, 0, 0)
        it can never fit."""
        status, wait_us, send_at_us = self._acquire(
            keys=self.keys, args=[rpm, tpm, window_us, tokens, max_wait_us, reservation_id]
        )
        return int(status), int(wait_us), int(send_at_us)

    def settle(self, reservation_id: str, tokens: int) -> None:
        self._settle(keys=self.keys, args=[reservation_id, tokens])

    def release(self, reservation_id: str) -> None:
        self._release(keys=self.keys, args=[reservation_id])

    def observe(
        self,
        rpm: int,
        tpm: int,
        window_us: int,
        left_requests: int,
        reset_requests_us: int,
        left_tokens: int,
        reset_tokens_us: int,
        id_prefix: str,
    ) -> tuple[int, int]:
        """Book what the provider says it has counted and we have not (-1 left: not reported), until its
        reset; the (requests, tokens) booked."""
        booked_req, booked_tok = self._observe(
            keys=self.keys,
            args=[
                rpm,
                tpm,
                window_us,
                left_requests,
                reset_requests_us,
                left_tokens,
                reset_tokens_us,
                id_prefix,
            ],
        )
        return int(booked_req), int(booked_tok)

    def usage(self, window_us: int) -> tuple[int, int]:
        """(requests, tokens) booked in the window now, reservations not yet sent included."""
        req, tok = self._usage(keys=self.keys, args=[window_us])
        return int(req), int(tok)
