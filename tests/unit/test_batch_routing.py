"""The cloud-batch route in the pure routing policy: when work may wait for the Batch API, and never for
sensitive documents."""

from __future__ import annotations

import itertools

import pytest

from worker.batch.hints import parse_deadline
from worker.privacy import NEVER_TO_CLOUD
from worker.routing import (
    Availability,
    BatchHints,
    BatchRules,
    ModelChoice,
    RouteRules,
    RoutingPolicy,
    decide,
    fallback,
    load_routing_policy,
)
from worker.schema import Complexity, Route, RouteTarget, Sensitivity, Tags, TaskKind
from worker.settings import REPO_CONFIG_DIR

BOTH = Availability(local=True, cloud=True)
DAY = 86_400.0


def tags(sensitivity: Sensitivity = Sensitivity.PUBLIC, complexity: Complexity = Complexity.COMPLEX) -> Tags:
    return Tags(sensitivity=sensitivity, complexity=complexity, complexity_score=0.7, classifier_version="t")


def policy(routes: dict[str, object] | None = None, **batch: object) -> RoutingPolicy:
    return RoutingPolicy(
        models=ModelChoice(local="llama3.2:3b", cloud="gpt-4o-mini"),
        routes=RouteRules(**(routes or {})),
        batch=BatchRules(**batch),
    )


def hints(task: TaskKind = TaskKind.SUMMARIZE, deadline_s: float | None = None, jobs: int = 1) -> BatchHints:
    return BatchHints(task=task, deadline_s=deadline_s, jobs=jobs)


def test_a_24h_deadline_sends_cloud_bound_work_to_the_batch_route() -> None:
    route = decide(tags(), policy(), BOTH, hints(deadline_s=DAY))
    assert route.target is RouteTarget.CLOUD_BATCH and route.model == "gpt-4o-mini"
    assert "deadline:24h allows the batch API" in route.reasons


def test_a_shorter_deadline_keeps_work_real_time_whatever_the_task_or_size() -> None:
    rules = policy(tasks=[TaskKind.SUMMARIZE], bulk_min_jobs=10)
    assert decide(tags(), rules, BOTH, hints(deadline_s=3600, jobs=1000)).target is RouteTarget.CLOUD


def test_a_task_listed_in_the_policy_uses_the_batch_route() -> None:
    rules = policy(tasks=[TaskKind.EXTRACT])
    assert decide(tags(), rules, BOTH, hints(task=TaskKind.EXTRACT)).target is RouteTarget.CLOUD_BATCH
    assert decide(tags(), rules, BOTH, hints(task=TaskKind.SUMMARIZE)).target is RouteTarget.CLOUD


def test_a_bulk_batch_uses_the_batch_route() -> None:
    rules = policy(bulk_min_jobs=1000)
    assert decide(tags(), rules, BOTH, hints(jobs=1000)).target is RouteTarget.CLOUD_BATCH
    assert decide(tags(), rules, BOTH, hints(jobs=999)).target is RouteTarget.CLOUD


def test_without_hints_decide_is_unchanged() -> None:
    assert decide(tags(), policy(tasks=[TaskKind.SUMMARIZE]), BOTH).target is RouteTarget.CLOUD


def test_only_cloud_bound_work_can_wait_for_the_batch_api() -> None:
    simple = decide(tags(complexity=Complexity.SIMPLE), policy(), BOTH, hints(deadline_s=DAY))
    assert simple.target is RouteTarget.LOCAL
    no_cloud = decide(tags(), policy(), Availability(local=True, cloud=False), hints(deadline_s=DAY))
    assert no_cloud.target is RouteTarget.LOCAL


@pytest.mark.parametrize(
    ("sensitivity", "complexity", "local_only", "batch"),
    list(
        itertools.product(
            Sensitivity,
            Complexity,
            [frozenset(), frozenset({Sensitivity.INTERNAL})],
            [hints(deadline_s=DAY), hints(task=TaskKind.SUMMARIZE, jobs=10**6)],
        )
    ),
)
def test_sensitive_jobs_never_take_the_batch_route(
    sensitivity: Sensitivity, complexity: Complexity, local_only: frozenset[Sensitivity], batch: BatchHints
) -> None:
    rules = policy(
        {"local_only_sensitivity": local_only, "cloud_min_complexity": Complexity.SIMPLE},
        tasks=[TaskKind.SUMMARIZE],
        bulk_min_jobs=1,
    )
    route = decide(tags(sensitivity, complexity), rules, BOTH, batch)
    if sensitivity in NEVER_TO_CLOUD or sensitivity in local_only:
        assert route.target is RouteTarget.LOCAL
    else:
        assert route.target is RouteTarget.CLOUD_BATCH


def batch_route() -> Route:
    return Route(target=RouteTarget.CLOUD_BATCH, model="gpt-4o-mini", reasons=("deadline:24h",))


@pytest.mark.parametrize(
    ("on_failure", "expected"),
    [("cloud", RouteTarget.CLOUD), ("local", RouteTarget.LOCAL), ("fail", None)],
)
def test_an_unanswered_batch_request_falls_back_by_policy(
    on_failure: str, expected: RouteTarget | None
) -> None:
    moved = fallback(tags(), batch_route(), policy(on_failure=on_failure), BOTH)
    if expected is None:
        assert moved is None
        return
    assert moved is not None and moved.target is expected
    assert moved.fallback_from is RouteTarget.CLOUD_BATCH
    assert moved.reasons[-1] == "fallback: batch request not answered"


def test_a_fallback_to_the_cloud_needs_the_cloud_and_allows_one_move_only() -> None:
    assert fallback(tags(), batch_route(), policy(), Availability(local=True, cloud=False)) is None
    moved = fallback(tags(), batch_route(), policy(), BOTH)
    assert moved is not None and fallback(tags(), moved, policy(), BOTH) is None


def test_a_sensitive_job_never_falls_back_to_the_cloud() -> None:
    restricted = tags(Sensitivity.RESTRICTED)
    assert fallback(restricted, batch_route(), policy(), BOTH) is None


def test_the_shipped_policy_has_a_batch_section_at_the_providers_limits() -> None:
    loaded = load_routing_policy(REPO_CONFIG_DIR / "routing.yaml")
    assert loaded.batch.deadline_at_least_s == DAY
    assert loaded.batch.max_requests_per_file == 50_000 and loaded.batch.max_bytes_per_file == 200_000_000
    assert loaded.batch.on_failure == "cloud"


def test_batch_rules_refuse_limits_beyond_the_provider_and_unknown_keys() -> None:
    with pytest.raises(ValueError):
        BatchRules(max_requests_per_file=50_001)
    with pytest.raises(ValueError):
        BatchRules.model_validate({"flush_idle": 3})


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("24h", DAY), ("2d", 2 * DAY), ("90m", 5400.0), ("3600s", 3600.0), (" 1.5H ", 5400.0)],
)
def test_deadlines_are_numbers_with_units(text: str, seconds: float) -> None:
    assert parse_deadline(text) == seconds


@pytest.mark.parametrize("text", ["24", "tomorrow", "0h", "-1h", "h"])
def test_a_deadline_without_a_unit_or_not_positive_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="deadline"):
        parse_deadline(text)
