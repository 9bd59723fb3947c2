"""`turnout compare`'s pure parts: the recommended threshold and the reproducible sample."""

from __future__ import annotations

import yaml

from producer.compare.sample import draw_sample
from producer.compare.threshold import (
    ABOVE_EVERY_SCORE,
    Point,
    format_threshold,
    recommend,
    split_at,
)
from producer.loaders import LoadedDocument, Rejection
from tests.conftest import REPO_ROOT
from worker.routing import Availability, RoutingPolicy, decide
from worker.schema import Complexity, RouteTarget, Sensitivity, Tags

# Local answers agree on simple work and less as the score rises.
POINTS = [
    Point(0.10, 1.0),
    Point(0.15, 1.0),
    Point(0.20, 1.0),
    Point(0.35, 1.0),
    Point(0.42, 0.0),
    Point(0.48, 1.0),
    Point(0.61, 0.0),
    Point(0.66, 0.5),
    Point(0.70, 0.0),
    Point(0.81, 0.0),
]


def test_the_recommendation_reaches_the_target_with_the_fewest_cloud_jobs() -> None:
    rec = recommend(POINTS, 0.9)
    assert rec.outcome == "threshold" and rec.split is not None
    assert rec.split.agreement >= 0.9
    # Every higher threshold (fewer cloud jobs) misses the target: no cheaper mix reaches it.
    scores = sorted({p.score for p in POINTS})
    cheaper = [s for s in scores if s > rec.split.threshold]
    assert cheaper and all(split_at(POINTS, s + 1e-6).agreement < 0.9 for s in cheaper)
    # One decimal fits between 0.48 and 0.61; 0.5 is nearest the middle (0.545).
    assert (rec.split.cloud_jobs, rec.split.threshold) == (4, 0.5)
    assert split_at(POINTS, rec.split.threshold).cloud_jobs == rec.split.cloud_jobs


def test_a_lower_target_keeps_more_local_and_more_disagreement_sends_more_to_the_cloud() -> None:
    loose, strict = recommend(POINTS, 0.7), recommend(POINTS, 0.9)
    assert loose.split is not None and strict.split is not None
    assert loose.split.cloud_jobs < strict.split.cloud_jobs
    worse = [Point(p.score, 0.0 if p.score >= 0.3 else p.credit) for p in POINTS]
    worse_rec = recommend(worse, 0.9)
    assert worse_rec.split is not None
    assert worse_rec.split.threshold < strict.split.threshold
    assert worse_rec.split.cloud_share > strict.split.cloud_share


def test_when_every_local_answer_agrees_everything_stays_local() -> None:
    rec = recommend([Point(0.2, 1.0), Point(0.9, 1.0), Point(1.0, 1.0)], 0.95)
    assert rec.outcome == "all_local" and rec.split is not None
    assert rec.split.threshold == ABOVE_EVERY_SCORE > 1.0  # above any score the classifier gives
    assert (rec.split.cloud_jobs, rec.split.agreement) == (0, 1.0)


def test_an_unreachable_target_sends_every_cloud_allowed_job_to_the_cloud() -> None:
    rec = recommend(POINTS, 1.5)  # no mix can reach more than full agreement
    assert rec.outcome == "unreachable" and rec.split is not None
    assert rec.split.threshold == 0.0 and rec.split.cloud_jobs == len(POINTS)
    assert rec.routing_yaml() == "routes:\n  cloud_min_score: 0.00\n"


def test_no_compared_job_gives_no_recommendation() -> None:
    rec = recommend([], 0.9)
    assert (rec.outcome, rec.split, rec.routing_yaml()) == ("no_data", None, None)
    assert rec.as_json()["cloud_min_score"] is None


def test_the_snippet_pastes_into_routing_yaml_and_routes_as_the_report_says() -> None:
    rec = recommend(POINTS, 0.9)
    snippet = rec.routing_yaml()
    assert rec.split is not None and snippet is not None
    assert snippet == f"routes:\n  cloud_min_score: {format_threshold(rec.split.threshold)}\n"
    shipped = yaml.safe_load((REPO_ROOT / "configs" / "routing.yaml").read_text())
    shipped["routes"].update(yaml.safe_load(snippet)["routes"])
    policy = RoutingPolicy.model_validate({k: v for k, v in shipped.items() if k != "classifier"})
    both = Availability(local=True, cloud=True)
    to_cloud = [decide(tags(p.score), policy, both).target is RouteTarget.CLOUD for p in POINTS]
    assert sum(to_cloud) == rec.split.cloud_jobs
    above = recommend([Point(0.3, 1.0)], 0.9)
    policy = policy.model_copy(
        update={"routes": policy.routes.model_copy(update={"cloud_min_score": above.threshold})}
    )
    assert decide(tags(1.0), policy, both).target is RouteTarget.LOCAL  # "above every score" keeps all local


def test_thresholds_print_with_two_decimals_unless_they_need_three() -> None:
    assert [format_threshold(v) for v in (0.6, 0.62, 0.615, 0.0, 1.01)] == [
        "0.60",
        "0.62",
        "0.615",
        "0.00",
        "1.01",
    ]


def tags(score: float) -> Tags:
    return Tags(
        sensitivity=Sensitivity.PUBLIC,
        complexity=Complexity.SIMPLE,
        complexity_score=score,
        classifier_version="test",
    )


# ----------------------------------------------------------------------------------------------- sample


def docs(n: int) -> list[LoadedDocument | Rejection]:
    return [LoadedDocument(source=f"doc-{i}.txt", text=f"text {i}") for i in range(n)]


def test_the_sample_is_reproducible_and_independent_of_reading_order() -> None:
    items = docs(50)
    first = draw_sample(items, 10, seed=7)
    again = draw_sample(list(reversed(items)), 10, seed=7)
    assert len(first.documents) == 10 and first.loaded == 50
    assert {d.source for d in first.documents} == {d.source for d in again.documents}
    assert [d.source for d in first.documents] == sorted(
        (d.source for d in first.documents), key=lambda s: int(s[4:-4])
    )  # kept in reading order
    other = draw_sample(items, 10, seed=8)
    assert {d.source for d in other.documents} != {d.source for d in first.documents}


def test_a_document_keeps_its_place_when_others_join_and_rejections_are_kept() -> None:
    small = draw_sample(docs(30), 5, seed=1)
    grown = draw_sample([*docs(30), Rejection("bad.pdf", "no extractable text"), *docs(60)[30:]], 5, seed=1)
    kept_before = {d.source for d in small.documents}
    kept_after = {d.source for d in grown.documents}
    # Ranks do not change: what is kept from the first 30 after growing was kept before.
    assert {s for s in kept_after if int(s[4:-4]) < 30} <= kept_before
    assert [r.source for r in grown.rejected] == ["bad.pdf"] and grown.loaded == 60
    everything = draw_sample(docs(12), None, seed=0)
    assert len(everything.documents) == 12


def test_a_hard_budget_refusal_fails_the_answer_at_once_and_a_soft_one_backs_off() -> None:
    from producer.compare.run import Retry
    from worker.budget.gate import BudgetExhausted
    from worker.budget.ledger import Denial
    from worker.errors import RetryableBackendError

    slept: list[float] = []
    retry = Retry(attempts=5, backoff_s=1.0, backoff_max_s=60.0, sleep=slept.append)
    day = 8 * 3600.0  # the daily cap resets in 8 hours

    def refusal(hard: bool) -> BudgetExhausted:
        denial = Denial("day", hard, day, spent_pico=10, reserved_pico=5, cap_pico=12)
        return BudgetExhausted(denial, "hold", estimate_pico=3)

    # Settled spend leaves no room: only the reset helps, hours away; a comparison does not wait for it.
    assert retry.gives_up(1, refusal(hard=True))
    # Calls in flight hold the room: they settle within seconds, so back off as for any retryable error,
    # not until the cap's reset (which would wait backoff_max_s at every attempt).
    assert not retry.gives_up(1, refusal(hard=False))
    retry.wait(1, refusal(hard=False))
    retry.wait(2, refusal(hard=False))
    assert len(slept) == 2 and slept[0] <= 1.0 and slept[1] <= 2.0  # jittered exponential backoff
    # Other retryable errors keep their server's hint.
    assert not retry.gives_up(1, RetryableBackendError("busy", kind="rate_limited", retry_after_s=7.0))
    retry.wait(1, RetryableBackendError("busy", kind="rate_limited", retry_after_s=7.0))
    assert slept[-1] == 7.0 and retry.gives_up(5, RetryableBackendError("busy", kind="server_error"))
