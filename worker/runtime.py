"""Everything a worker process needs, built once from settings (never at import time)."""

from __future__ import annotations

from dataclasses import dataclass, field

from worker.backends.base import Backend
from worker.backends.breaker import CircuitBreaker
from worker.backends.local import HostClient, LocalBackend
from worker.backends.local_openai import LocalOpenAIHost
from worker.backends.ollama import OllamaHost
from worker.backends.openai import OpenAIBackend
from worker.budget.config import BUDGETS_FILE, BudgetsConfig, load_budgets, provider_for
from worker.budget.gate import BudgetGate
from worker.classifier import Classifier, ClassifierConfig
from worker.config import validate
from worker.flow.ratelimit import RateLimiter
from worker.flow.slots import HostSlots
from worker.model_catalog import ModelsConfig, load_models_config
from worker.pricing import PriceTable, load_price_table
from worker.prompts import PromptTemplates, load_prompt_templates
from worker.routing import Availability, RoutingPolicy, load_routing_policy
from worker.schema import RouteTarget
from worker.settings import Settings
from worker.store import Store
from worker.store.lifecycle import Retention


@dataclass(frozen=True)
class Policies:
    """The validated config files: routing, classifier, prices, prompts and models."""

    routing: RoutingPolicy
    classifier: Classifier
    prices: PriceTable
    prompts: PromptTemplates
    models: ModelsConfig = ModelsConfig()  # context windows and tokenizers (configs/models.yaml)
    budgets: BudgetsConfig = BudgetsConfig()  # spending caps (configs/budgets.yaml, docs/budgets.md)

    @classmethod
    def load(cls, settings: Settings) -> Policies:
        routing = load_routing_policy(settings.routing_file())
        classifier_config = validate(
            ClassifierConfig, routing.classifier, f"{settings.routing_file()}: classifier"
        )
        prices = load_price_table(settings.pricing_file())
        # Fail at start, not on the first job: every model the policy can pick must have a price.
        for model in (routing.models.local, routing.models.cloud, routing.second_line.model):
            if model is not None:
                prices.price_of(model)
        models_file = settings.config_dir / "models.yaml"
        models = load_models_config(models_file)
        # And the local model's license must be one this deployment allows (docs/tco.md).
        models.check_local_license(routing.models.local, models_file)
        return cls(
            routing=routing,
            classifier=Classifier(classifier_config),
            prices=prices,
            prompts=load_prompt_templates(settings.prompts_file()),
            models=models,
            budgets=_load_budgets(settings),
        )


def _load_budgets(settings: Settings) -> BudgetsConfig:
    budgets = load_budgets(settings.config_dir)
    if settings.cloud_configured:  # caps written down for an endpoint must apply to the one in use
        provider_for(budgets, settings.openai_base_url, settings.config_dir / BUDGETS_FILE)
    return budgets


@dataclass
class Runtime:
    settings: Settings
    store: Store
    policies: Policies
    backends: dict[RouteTarget, Backend] = field(default_factory=dict)
    _budget: BudgetGate | None = field(default=None, init=False, repr=False)
    _second_line: Backend | None = field(default=None, init=False, repr=False)

    @property
    def availability(self) -> Availability:
        return Availability(local=self.settings.local_configured, cloud=self.settings.cloud_configured)

    @property
    def budget(self) -> BudgetGate:
        """The spending caps' gate, shared by this process's cloud calls (worker/budget/gate.py)."""
        if self._budget is None:
            self._budget = build_budget_gate(self.settings, self.policies, self.store)
        return self._budget

    def backend(self, target: RouteTarget) -> Backend:
        if target not in self.backends:
            budget = None if target is RouteTarget.LOCAL else self.budget
            self.backends[target] = build_backend(
                self.settings, target, self.store, budget, self.policies.models
            )
        return self.backends[target]

    def second_line_backend(self) -> Backend:
        """The local hosts as the second line's check sees them (worker/second_line_check.py): the same
        fleet-wide slots as the local route, its own timeout for the slot wait and for the answer."""
        if self._second_line is None:
            timeout_s = self.policies.routing.second_line.timeout_s
            self._second_line = build_local_backend(
                self.settings, self.store, self.policies.models, timeout_s=timeout_s
            )
        return self._second_line

    def close(self) -> None:
        for backend in (*self.backends.values(), *([self._second_line] if self._second_line else [])):
            backend.close()
        self.store.close()


def build_backend(
    settings: Settings,
    target: RouteTarget,
    store: Store,
    budget: BudgetGate | None = None,
    models: ModelsConfig | None = None,
) -> Backend:
    """The backend of one route. `models`: the context windows Ollama hosts are asked to serve."""
    if target is RouteTarget.LOCAL:
        return build_local_backend(settings, store, models or ModelsConfig())
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    limiter = None
    if settings.cloud_rpm or settings.cloud_tpm:
        limiter = RateLimiter(
            store.rate_ledger(f"cloud:{settings.openai_base_url or 'openai'}"),
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
        budget=budget,
    )


def build_local_backend(
    settings: Settings, store: Store, models: ModelsConfig, timeout_s: float | None = None
) -> LocalBackend:
    """Every local host, of both kinds, behind the fleet-wide slots and cool-downs shared through Redis.

    `timeout_s`: for the slot wait and for each answer (default: TURNOUT_REQUEST_TIMEOUT_S)."""
    slots = HostSlots(
        store.slot_leases(),
        settings.local_hosts,
        settings.local_slots,
        lease_s=settings.ollama_slot_lease_s,
        cooldown_s=settings.host_cooldown_s,
    )
    timeout_s = settings.request_timeout_s if timeout_s is None else timeout_s
    key = settings.local_openai_api_key.get_secret_value() if settings.local_openai_api_key else None
    clients: dict[str, HostClient] = {
        url: OllamaHost(
            url, timeout_s, lambda model: models.info(model).context_tokens, slots=settings.ollama_parallel
        )
        for url in settings.ollama_hosts
    }
    clients.update({url: LocalOpenAIHost(url, timeout_s, key) for url in settings.local_openai_hosts})
    return LocalBackend(slots, clients, slot_wait_s=timeout_s)


def build_budget_gate(settings: Settings, policies: Policies, store: Store) -> BudgetGate:
    provider = provider_for(policies.budgets, settings.openai_base_url) if settings.cloud_configured else None
    # A reservation must outlive the longest call that can hold it: the rate-limit wait, then the call.
    lease_s = settings.cloud_rate_wait_s + 2 * settings.request_timeout_s + 60.0
    return BudgetGate(
        store.budget_ledger, policies.budgets, provider, policies.prices, policies.models, lease_s=lease_s
    )


def build_runtime(settings: Settings) -> Runtime:
    if not settings.broker_url:
        raise ValueError("TURNOUT_BROKER_URL is not set")
    return Runtime(
        settings=settings,
        store=Store.from_url(settings.broker_url, retention=Retention.of(settings)),
        policies=Policies.load(settings),
    )
