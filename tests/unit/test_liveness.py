"""Which message a re-issued job needs, and how a message's generation is read (worker/liveness.py)."""

from __future__ import annotations

import base64
import json

from worker.liveness import carried_job, generation_of, stage_task
from worker.queues import BATCH_COLLECT_TASK, CLASSIFY_TASK, CLOUD_TASK, LOCAL_TASK, SECOND_LINE_TASK
from worker.schema import Route, RouteTarget
from worker.second_line import awaiting_check


def route(target: RouteTarget) -> str:
    return Route(target=target, model="m", reasons=("r",)).model_dump_json()


def test_a_job_without_a_route_is_classified_again() -> None:
    assert stage_task({"stage": "", "route": ""}) == CLASSIFY_TASK
    assert stage_task({"stage": LOCAL_TASK, "route": ""}) == CLASSIFY_TASK


def test_a_routed_job_goes_to_its_held_stage_or_its_route() -> None:
    assert stage_task({"stage": CLOUD_TASK, "route": route(RouteTarget.CLOUD)}) == CLOUD_TASK
    # Classified, but the message to its next stage never left: straight to the route's queue.
    assert stage_task({"stage": CLASSIFY_TASK, "route": route(RouteTarget.LOCAL)}) == LOCAL_TASK
    assert stage_task({"stage": "", "route": route(RouteTarget.CLOUD_BATCH)}) == BATCH_COLLECT_TASK


def test_a_cloud_route_awaiting_its_check_goes_to_the_check_never_to_the_cloud() -> None:
    for target in (RouteTarget.CLOUD, RouteTarget.CLOUD_BATCH):
        pending = awaiting_check(Route(target=target, model="m", reasons=("r",))).model_dump_json()
        for stage in ("", CLASSIFY_TASK, SECOND_LINE_TASK, CLOUD_TASK):
            assert stage_task({"stage": stage, "route": pending}) == SECOND_LINE_TASK
    # Checked (the verdict recorded), but the message to the route never left: the route's queue.
    assert stage_task({"stage": SECOND_LINE_TASK, "route": route(RouteTarget.CLOUD)}) == CLOUD_TASK
    assert stage_task({"stage": SECOND_LINE_TASK, "route": route(RouteTarget.LOCAL)}) == LOCAL_TASK


def test_a_message_without_a_generation_is_generation_zero() -> None:
    assert generation_of({"job_id": "j", "batch_id": "b"}) == 0
    assert generation_of({"generation": 3}) == 3
    assert generation_of({"generation": "junk"}) == 0


def test_the_job_a_broker_message_carries_and_none_for_anything_else() -> None:
    body = [[{"v": 1, "job_id": "b.1", "batch_id": "b", "generation": 2}], {}, {}]
    envelope = {"body": base64.b64encode(json.dumps(body).encode()).decode(), "headers": {"task": LOCAL_TASK}}
    carried = carried_job(envelope)
    assert carried is not None and (carried.batch_id, carried.job_id, carried.generation) == ("b", "b.1", 2)
    assert carried_job({"body": "not base64 json", "headers": {}}) is None
    chain = [["b", 4], {}, {}]  # a batch chain's message: no job
    assert (
        carried_job({"body": base64.b64encode(json.dumps(chain).encode()).decode(), "headers": {"task": "t"}})
        is None
    )
