"""Flow control: keep every GPU slot and every rate-limit token busy, never over.

- `RateLimiter` — the cloud API's requests/min and tokens/min, global through Redis.
- `HostSlots` — each Ollama host's parallel slots, global through Redis.
- `Priority` — batch priorities on the Redis broker.
- `BulkPublisher` — pipelined publishing of many small task messages.
"""

from worker.flow.priority import Priority, celery_priority_config
from worker.flow.publish import BulkPublisher
from worker.flow.ratelimit import (
    RateLimiter,
    RateLimitWait,
    RequestTooLarge,
    Reservation,
    estimate_tokens,
)
from worker.flow.slots import HostSlots, SlotLease

__all__ = [
    "BulkPublisher",
    "HostSlots",
    "Priority",
    "RateLimitWait",
    "RateLimiter",
    "RequestTooLarge",
    "Reservation",
    "SlotLease",
    "celery_priority_config",
    "estimate_tokens",
]
