"""Batch priorities on the Redis broker: an urgent batch overtakes a bulk one already queued.

Kombu's Redis transport emulates priorities with one list per priority step and queue (`local`,
`local:3`, `local:6` with the options below); a worker's BRPOP lists the keys of every step, lowest
number first, so it always takes from the most urgent non-empty list. On Redis, **0 is the most urgent**
(the opposite of AMQP). A message is filed under the highest step not above its priority.

A message sent without a priority would get 0 — the most urgent — so `task_default_priority` must be
NORMAL, and a task forwarding a job to its next queue must pass on the priority it was delivered with.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from typing import Any

from kombu.transport.redis import PRIORITY_STEPS as KOMBU_PRIORITY_STEPS
from kombu.transport.redis import Channel as RedisChannel

__all__ = [
    "PRIORITY_SEP",
    "PRIORITY_STEPS",
    "PRIORITY_TRANSPORT_OPTIONS",
    "Priority",
    "celery_priority_config",
    "queue_key",
    "queue_layout",
    "queue_lists",
]

PRIORITY_SEP = ":"


class Priority(IntEnum):
    """A batch's priority as Celery's `priority=` on Redis (lower is sooner)."""

    URGENT = 0
    NORMAL = 3
    BULK = 6

    @classmethod
    def parse(cls, name: str) -> Priority:
        try:
            return cls[name.strip().upper()]
        except KeyError:
            names = ", ".join(p.name.lower() for p in cls)
            raise ValueError(f"unknown priority {name!r}; choose one of {names}") from None


PRIORITY_STEPS = tuple(int(p) for p in Priority)


# Merge into `broker_transport_options`: one list per step and queue (`local`, `local:3`, `local:6`).
PRIORITY_TRANSPORT_OPTIONS: dict[str, Any] = {"priority_steps": list(PRIORITY_STEPS), "sep": PRIORITY_SEP}


def celery_priority_config(transport_options: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Celery settings that turn priorities on, merged over the app's other transport options."""
    return {
        "broker_transport_options": {**(transport_options or {}), **PRIORITY_TRANSPORT_OPTIONS},
        "task_default_priority": int(Priority.NORMAL),
    }


def queue_layout(transport_options: Mapping[str, Any]) -> tuple[tuple[int, ...], str]:
    """The priority steps and separator a Redis transport with these options uses (kombu's defaults
    where the options say nothing)."""
    steps = tuple(sorted({0, *transport_options.get("priority_steps", KOMBU_PRIORITY_STEPS)}))
    return steps, str(transport_options.get("sep", RedisChannel.sep))


def _list_name(queue: str, step: int, sep: str) -> str:
    return f"{queue}{sep}{step}" if step else queue


def queue_key(
    queue: str, priority: int, steps: tuple[int, ...] = PRIORITY_STEPS, sep: str = PRIORITY_SEP
) -> str:
    """The Redis list a message of `priority` goes to, exactly as kombu's Redis transport files it."""
    step = max((s for s in steps if s <= priority), default=steps[0])
    return _list_name(queue, step, sep)


def queue_lists(queue: str, transport_options: Mapping[str, Any]) -> list[str]:
    """The Redis lists holding `queue`'s waiting messages, one per priority step, as kombu names them."""
    steps, sep = queue_layout(transport_options)
    return [_list_name(queue, step, sep) for step in steps]
