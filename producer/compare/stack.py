"""The backends `turnout compare` calls, and the Redis their slots and rate limits share.

TURNOUT_BROKER_URL when set (local slots are then shared with the running fleet, as they should be),
else an embedded redis-server like `turnout run`; the built-in simulators, announced loudly, when neither
backend is configured. The backends are production's own (worker/runtime.build_backend).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from rich.console import Console

from producer.local_stack import embedded_defaults
from worker.backends.base import Backend
from worker.errors import ConfigError
from worker.runtime import Policies, build_backend, build_budget_gate
from worker.schema import RouteTarget
from worker.settings import Settings
from worker.store import Store


@dataclass(frozen=True)
class Backends:
    local: Backend
    cloud: Backend
    simulated: bool


@contextmanager
def compare_backends(
    settings: Settings, policies: Policies, console: Console
) -> Iterator[tuple[Settings, Backends]]:
    """The real backends, with the Redis their slots, rate limits and budgets share, started when needed.

    TURNOUT_BROKER_URL when set (local slots are then shared with the running fleet), else an embedded
    redis-server; the built-in simulators, announced loudly, when neither backend is configured.
    """
    with ExitStack() as stack:
        # With nothing configured both sides are simulated; one side alone is not something to compare.
        settings, simulated = embedded_defaults(settings, stack, console)
        if not settings.local_configured:
            raise ConfigError(
                "compare needs a local backend too: set TURNOUT_OLLAMA_HOSTS (or OLLAMA_HOST), or configure "
                "neither backend to compare on the built-in simulators"
            )
        elif not settings.cloud_configured:
            raise ConfigError(
                "compare needs the cloud API too: set OPENAI_API_KEY (or OPENAI_BASE_URL), or configure "
                "neither backend to compare on the built-in simulators"
            )
        store = Store.from_url(str(settings.broker_url))  # the client the workers use
        stack.callback(store.close)
        store.ping()  # fail fast and clearly, before any document is sent anywhere
        local = build_backend(settings, RouteTarget.LOCAL, store)
        stack.callback(local.close)
        # Comparing spends real cloud money: the spending caps hold for it as for any batch.
        budget = build_budget_gate(settings, policies, store)
        cloud = build_backend(settings, RouteTarget.CLOUD, store, budget)
        stack.callback(cloud.close)
        yield settings, Backends(local=local, cloud=cloud, simulated=simulated)
