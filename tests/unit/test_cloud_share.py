"""`--cloud-share` calibration and score-threshold routing, as pure functions."""

from __future__ import annotations

import random

import pytest

from producer.calibrate import ABOVE_EVERY_SCORE, calibrate_cloud_share, threshold_for_share
from producer.loaders import LoadedDocument, Rejection
from tests.conftest import REPO_ROOT
from tests.eval.prose import document
from worker.privacy import NEVER_TO_CLOUD
from worker.routing import Availability, BatchHints, ModelChoice, RouteRules, RoutingPolicy, decide
from worker.runtime import Policies
from worker.schema import Complexity, RouteTarget, Sensitivity, Tags, TaskKind, TaskSpec
from worker.settings import Settings

BOTH = Availability(local=True, cloud=True)
SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)


def tags(score: float, sensitivity: Sensitivity = Sensitivity.PUBLIC) -> Tags:
    return Tags(
        sensitivity=sensitivity,
        complexity=Complexity.SIMPLE,  # the bucket must not matter once a score threshold is set
        complexity_score=score,
        classifier_version="t",
    )


def policy(**rules: object) -> RoutingPolicy:
    return RoutingPolicy(
        models=ModelChoice(local="llama3.2:3b", cloud="gpt-4o-mini"), routes=RouteRules(**rules)
    )


@pytest.mark.parametrize("share", [0.05, 0.1, 0.3, 0.5, 0.77, 0.95])
def test_threshold_sends_the_asked_share_of_distinct_scores(share: float) -> None:
    rng = random.Random(7)
    scores = [rng.random() for _ in range(1000)]
    threshold = threshold_for_share(scores, share)
    sent = sum(score >= threshold for score in scores)
    assert sent == int(share * len(scores) + 0.5)


def test_threshold_edges() -> None:
    scores = [0.2, 0.4, 0.6, 0.8]
    assert threshold_for_share(scores, 0.0) == ABOVE_EVERY_SCORE > 1.0
    assert threshold_for_share(scores, 1.0) == 0.0
    assert threshold_for_share([], 0.5) == ABOVE_EVERY_SCORE
    # Between the last score in and the first out, so an unseen document splits the same way.
    assert threshold_for_share(scores, 0.5) == pytest.approx(0.5)
    # Equal scores can't be split: the whole group goes to the side nearer the asked share.
    tied = [0.9, 0.8] + [0.14] * 7
    assert sum(s >= threshold_for_share(tied, 0.5) for s in tied) == 2  # 2/9 is nearer 4.5/9 than 9/9
    assert sum(s >= threshold_for_share(tied, 0.8) for s in tied) == 9
    assert threshold_for_share([0.5, 0.5, 0.5, 0.1], 0.5) == 0.5  # 3/4 vs 0/4: include the group
    assert threshold_for_share([0.5, 0.5], 0.5) > 0.5  # 0 or 2 of 2 are as near: stay local


def test_score_threshold_replaces_the_bucket_rule() -> None:
    rules = policy(cloud_min_complexity=Complexity.COMPLEX, cloud_min_score=0.6)
    assert decide(tags(0.61), rules, BOTH).target is RouteTarget.CLOUD
    low = decide(tags(0.59), rules, BOTH)
    assert low.target is RouteTarget.LOCAL
    assert "cloud_min_score" in low.reasons[0]


def test_the_batch_threshold_wins_over_the_files() -> None:
    rules = policy(cloud_min_score=0.9)
    hints = BatchHints(task=TaskKind.SUMMARIZE, jobs=10, cloud_min_score=0.3)
    route = decide(tags(0.5), rules, BOTH, hints)
    assert route.target is RouteTarget.CLOUD
    assert "batch cloud share" in route.reasons[0]
    assert decide(tags(0.5), rules, BOTH).target is RouteTarget.LOCAL


@pytest.mark.parametrize("sensitivity", sorted(NEVER_TO_CLOUD | {Sensitivity.INTERNAL}))
def test_no_threshold_lets_sensitive_work_out(sensitivity: Sensitivity) -> None:
    hints = BatchHints(task=TaskKind.SUMMARIZE, jobs=10, cloud_min_score=0.0)
    route = decide(tags(1.0, sensitivity), policy(cloud_min_score=0.0), BOTH, hints)
    assert route.target is RouteTarget.LOCAL


def corpus(n: int, seed: int = 3) -> list[LoadedDocument | Rejection]:
    rng = random.Random(seed)
    items: list[LoadedDocument | Rejection] = []
    for i in range(n):
        text = "\n\n".join(document(rng, rng.choice([200, 800, 3000, 9000])))
        items.append(LoadedDocument(source=f"doc{i}.txt", text=text))
    items.append(Rejection(source="bad.bin", reason="binary file"))
    items.append(
        LoadedDocument(source="card.txt", text="Refund card 4539 1488 0343 6467 for order 88231 today.")
    )
    return items


def test_calibration_counts_only_cloud_allowed_documents() -> None:
    policies = Policies.load(Settings())
    docs = corpus(60)
    calibration = calibrate_cloud_share(docs, SUMMARIZE, 0.25, policies.classifier, policies.routing)
    assert calibration.documents == 61  # the rejection is not a document
    assert calibration.sampled == 61
    assert calibration.cloud_allowed < calibration.sampled  # the card number never counts
    # The threshold sends about a quarter of the cloud-allowed documents (ties can move it a little).
    assert abs(calibration.expected_share - 0.25) <= 5 / calibration.cloud_allowed
    again = calibrate_cloud_share(docs, SUMMARIZE, 0.25, policies.classifier, policies.routing)
    assert again == calibration


def test_calibration_samples_a_large_batch() -> None:
    policies = Policies.load(Settings())
    docs = corpus(300)
    calibration = calibrate_cloud_share(
        docs, SUMMARIZE, 0.5, policies.classifier, policies.routing, sample_size=50
    )
    assert calibration.documents == 301
    assert calibration.sampled == 50
    full = calibrate_cloud_share(docs, SUMMARIZE, 0.5, policies.classifier, policies.routing)
    # A sample of 50 lands near the threshold the whole batch gives.
    assert abs(calibration.threshold - full.threshold) < 0.1


# ------------------------------------------------------------------------------ the CLI's edges


def cli(*args: str) -> object:
    from click.testing import CliRunner

    from producer.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("value", ["nan", "2", "-0.1"])
def test_a_share_outside_zero_to_one_is_refused(value: str) -> None:
    result = cli("classify", "examples/docs", "--cloud-share", value)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "share between 0 and 1" in result.output  # type: ignore[attr-defined]


def test_a_share_cannot_read_stdin_twice() -> None:
    result = cli("classify", "-", "--cloud-share", "0.5")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "give files, not '-'" in result.output  # type: ignore[attr-defined]


def test_classify_previews_the_calibrated_threshold() -> None:
    """The preview routes as a batch of the same documents would: about the asked share goes out."""
    import json

    shared = [
        json.loads(line) for line in cli("classify", "examples/", "--cloud-share", "1").stdout.splitlines()
    ]  # type: ignore[attr-defined]
    routed = [r for r in shared if r.get("route")]
    allowed = [r for r in routed if r["sensitivity"] == "public"]
    assert allowed and all(r["route"] == "cloud" for r in allowed)  # a share of 1: every cloud-allowed one
    assert all(r["route"] == "local" for r in routed if r["sensitivity"] in ("confidential", "restricted"))


def test_a_key_given_twice_in_a_policy_file_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """YAML keeps the last of two equal keys silently: a pasted threshold above the shipped `null` line
    would be ignored. The loader refuses it instead, naming the file and the key."""
    from worker.errors import ConfigError
    from worker.routing import load_routing_policy

    shipped = (REPO_ROOT / "configs" / "routing.yaml").read_text()
    pasted = shipped.replace("routes:\n", "routes:\n  cloud_min_score: 0.4\n", 1)
    (tmp_path / "routing.yaml").write_text(pasted)
    with pytest.raises(ConfigError, match="cloud_min_score' is given twice") as caught:
        load_routing_policy(tmp_path / "routing.yaml")
    assert str(tmp_path / "routing.yaml") in str(caught.value)


@pytest.mark.parametrize("command", [["submit", "examples/docs"], ["status"], ["report"]])
def test_an_unreachable_broker_is_one_clear_line(command: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from producer.local_stack import free_port

    monkeypatch.setenv("TURNOUT_BROKER_URL", f"redis://127.0.0.1:{free_port()}/0")  # nobody listens there
    result = cli(*command)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "cannot reach Redis" in result.output  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
