"""Everything a worker process needs, built once from settings (never at import time)."""

from __future__ import annotations

from dataclasses import dataclass, field

import redis

from worker.backends.base import Backend
from worker.backends.breaker import CircuitBreaker
from worker.backends.ollama import OllamaBackend
from worker.backends.openai import OpenAIBackend
from worker.classifier import Classifier, ClassifierConfig
from worker.config import validate
from worker.flow.ratelimit import RateLimiter
from worker.flow.slots import HostSlots
from worker.models import ModelsConfig, load_models_config
from worker.pricing import PriceTable, load_price_table
from worker.prompts import PromptTemplates, load_prompt_templates
from worker.routing import Availability, RoutingPolicy, load_routing_policy
from worker.schema import RouteTarget
from worker.settings import Settings
from worker.store import Store


@dataclass(frozen=True)
class Policies:
    """The validated config files: routing, classifier, prices, prompts and models."""

    routing: RoutingPolicy
    classifier: Classifier
    prices: PriceTable
    prompts: PromptTemplates
    models: ModelsConfig = ModelsConfig()  # context windows and tokenizers (configs/models.yaml)

    @classmethod
    def load(cls, settings: Settings) -> Policies:
        routing = load_routing_policy(settings.routing_file())
        classifier_config = validate(
            ClassifierConfig, routing.classifier, f"{settings.routing_file()}: classifier"
        )
        prices = load_price_table(settings.pricing_file())
        # Fail at start, not on the first job: every model the policy can pick must have a price.
        for model in (routing.models.local, routing.models.cloud):
            prices.price_of(model)
        return cls(
            routing=routing,
            classifier=Classifier(classifier_config),
            prices=prices,
            prompts=load_prompt_templates(settings.prompts_file()),
            models=load_models_config(settings.config_dir / "models.yaml"),
        )


@dataclass
class Runtime:
    settings: Settings
    store: Store
    policies: Policies
    backends: dict[RouteTarget, Backend] = field(default_factory=dict)

    @property
    def availability(self) -> Availability:
        return Availability(local=self.settings.local_configured, cloud=self.settings.cloud_configured)

    def backend(self, target: RouteTarget) -> Backend:
        if target not in self.backends:
            self.backends[target] = build_backend(self.settings, target, self.store.redis)
        return self.backends[target]

    def close(self) -> None:
        for backend in self.backends.values():
            backend.close()
        self.store.redis.close()


def build_backend(settings: Settings, target: RouteTarget, redis_client: redis.Redis) -> Backend:
    if target is RouteTarget.LOCAL:
        # Slots and cool-downs shared by every local worker of the fleet, through Redis.
        slots = HostSlots(
            redis_client,
            settings.ollama_hosts,
            settings.ollama_parallel,
            lease_s=settings.ollama_slot_lease_s,
            cooldown_s=settings.host_cooldown_s,
        )
        return OllamaBackend(slots, timeout_s=settings.request_timeout_s)
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    limiter = None
    if settings.cloud_rpm or settings.cloud_tpm:
        limiter = RateLimiter(
            redis_client,
            f"cloud:{settings.openai_base_url or 'openai'}",
            settings.cloud_rpm,
            settings.cloud_tpm,
        )
    return OpenAIBackend(
        base_url=settings.openai_base_url,
        api_key=key,
        timeout_s=settings.request_timeout_s,
        limiter=limiter,
        max_output_tokens=settings.cloud_max_output_tokens,
        rate_wait_s=settings.cloud_rate_wait_s,
        breaker=CircuitBreaker(
            "cloud API",
            failure_threshold=settings.cloud_breaker_failures,
            open_s=settings.cloud_breaker_open_s,
        ),
    )


def build_runtime(settings: Settings) -> Runtime:
    if not settings.broker_url:
        raise ValueError("TURNOUT_BROKER_URL is not set")
    return Runtime(
        settings=settings, store=Store.from_url(settings.broker_url), policies=Policies.load(settings)
    )
