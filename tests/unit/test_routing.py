"""The routing policy as a pure function, and the privacy invariant it must never break."""

from __future__ import annotations

import itertools

import pytest

from worker.privacy import NEVER_TO_CLOUD
from worker.routing import Availability, ModelChoice, RouteRules, RoutingPolicy, decide, load_routing_policy
from worker.schema import Complexity, RouteTarget, Sensitivity, Tags
from worker.settings import REPO_CONFIG_DIR


def tags(sensitivity: Sensitivity, complexity: Complexity) -> Tags:
    return Tags(sensitivity=sensitivity, complexity=complexity, complexity_score=0.5, classifier_version="t")


def policy(**rules: object) -> RoutingPolicy:
    return RoutingPolicy(
        models=ModelChoice(local="llama3.2:3b", cloud="gpt-4o-mini"), routes=RouteRules(**rules)
    )


BOTH = Availability(local=True, cloud=True)


@pytest.mark.parametrize(
    ("sensitivity", "complexity", "available", "local_only"),
    list(
        itertools.product(
            Sensitivity,
            Complexity,
            [BOTH, Availability(local=False, cloud=True), Availability(local=True, cloud=False)],
            [frozenset(), frozenset({Sensitivity.INTERNAL})],
        )
    ),
)
def test_confidential_and_restricted_never_route_to_cloud(
    sensitivity, complexity, available, local_only
) -> None:  # type: ignore[no-untyped-def]
    """Whatever the policy and whichever backends exist, sensitive jobs are routed local."""
    route = decide(
        tags(sensitivity, complexity),
        policy(local_only_sensitivity=local_only, cloud_min_complexity=Complexity.SIMPLE),
        available,
    )
    if sensitivity in NEVER_TO_CLOUD:
        assert route.target is RouteTarget.LOCAL
        assert route.model == "llama3.2:3b"


def test_complex_public_work_goes_to_the_cloud_model() -> None:
    route = decide(tags(Sensitivity.PUBLIC, Complexity.COMPLEX), policy(), BOTH)
    assert route.target is RouteTarget.CLOUD
    assert route.model == "gpt-4o-mini"
    assert "complexity:complex" in route.reasons


def test_simple_and_moderate_work_stays_local() -> None:
    for complexity in (Complexity.SIMPLE, Complexity.MODERATE):
        assert decide(tags(Sensitivity.PUBLIC, complexity), policy(), BOTH).target is RouteTarget.LOCAL


def test_policy_can_keep_internal_documents_local() -> None:
    kept = decide(tags(Sensitivity.INTERNAL, Complexity.COMPLEX), policy(), BOTH)
    assert kept.target is RouteTarget.LOCAL
    assert "kept local by policy" in kept.reasons[0]
    released = decide(tags(Sensitivity.INTERNAL, Complexity.COMPLEX), policy(local_only_sensitivity=[]), BOTH)
    assert released.target is RouteTarget.CLOUD


def test_lower_cloud_threshold_sends_moderate_work_to_cloud() -> None:
    route = decide(
        tags(Sensitivity.PUBLIC, Complexity.MODERATE), policy(cloud_min_complexity=Complexity.MODERATE), BOTH
    )
    assert route.target is RouteTarget.CLOUD


def test_without_a_cloud_backend_complex_work_falls_back_to_local_and_says_so() -> None:
    route = decide(
        tags(Sensitivity.PUBLIC, Complexity.COMPLEX), policy(), Availability(local=True, cloud=False)
    )
    assert route.target is RouteTarget.LOCAL
    assert any("fell back to local" in reason for reason in route.reasons)


def test_shipped_policy_file_loads() -> None:
    loaded = load_routing_policy(REPO_CONFIG_DIR / "routing.yaml")
    assert loaded.models.local and loaded.models.cloud


def test_unknown_policy_key_is_an_error_naming_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from worker.errors import ConfigError

    bad = tmp_path / "routing.yaml"
    bad.write_text("models: {local: a, cloud: b}\nroutes: {cloud_min_complexty: complex}\n")
    with pytest.raises(ConfigError, match="routing.yaml.*cloud_min_complexty"):
        load_routing_policy(bad)
