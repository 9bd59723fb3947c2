"""The one seam between Turnout and kombu's Redis transport, checked against the kombu it was written for.

Turnout uses kombu's Redis transport as it ships (no patched methods: the speed patches that lived here
— one shared client per channel, no MULTI/EXEC around the unacknowledged-message bookkeeping, acks
written in batches — were removed: each saved well under a millisecond of CPU per hop, noise next to a
model call, and the batched acks widened kombu's window in which an ack of a re-delivered message
removes the new delivery's record). What Turnout still relies on is kombu's *layout* in Redis, which it
reads and writes without going through kombu:

- a queue is one list per priority step (`local`, `local:3`, `local:6`; worker/flow/priority.py), and a
  message is kombu's JSON envelope with a base64 body (worker/flow/publish.py writes them in bulk);
- a delivered, unacknowledged message is a field of the `unacked` hash (`[envelope, exchange, routing
  key]`) with its delivery time in the `unacked_index` sorted set (worker/liveness.py reads both to find
  a message whose worker died before holding its job).

kombu does not promise that layout, so this module refuses, at import, a kombu outside the range it was
checked against: an upgrade fails loudly at the first worker start, never silently at the first lost job.
To move the range, run tests/integration/test_celery_transport.py and the fault tests on the new kombu.
"""

from __future__ import annotations

import kombu

# [lowest, highest] kombu versions (major, minor) whose Redis layout the modules above were checked against.
KOMBU_CHECKED = ((5, 3), (5, 7))


class KombuVersionError(RuntimeError):
    """The installed kombu is outside the range Turnout was checked against."""


def check_kombu(version: str = kombu.__version__) -> None:
    major, minor = (int(part) for part in version.split(".")[:2])
    lowest, highest = KOMBU_CHECKED
    if not lowest <= (major, minor) <= highest:
        raise KombuVersionError(
            f"kombu {version} is outside the range Turnout reads Redis's queues for "
            f"({lowest[0]}.{lowest[1]} to {highest[0]}.{highest[1]}); install kombu from constraints.txt"
        )


check_kombu()


def transport_for(broker_url: str | None) -> str | None:
    """The `broker_transport` setting for a broker URL: kombu's own for every URL (None: kombu chooses)."""
    return None
