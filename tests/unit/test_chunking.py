"""Long documents: token-aware splitting, and how the parts' answers become one (reduce, vote, merge)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO_ROOT
from worker.chunking import Plan, group_for_reduce, plan_job, run_task, split_text
from worker.extraction import InvalidOutput
from worker.model_catalog import ChunkingPolicy, ModelInfo, ModelsConfig, load_models_config
from worker.prompts import load_prompt_templates
from worker.schema import TaskKind, TaskSpec
from worker.tokens import counter_for

PROMPTS = load_prompt_templates(REPO_ROOT / "configs" / "prompts.yaml")
SHIPPED = load_models_config(REPO_ROOT / "configs" / "models.yaml")
SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)
COUNTER = counter_for("cl100k_base")


def small_window(context_tokens: int = 700, **chunking: int) -> ModelsConfig:
    """Every model gets a small exact-counted window, so short test texts must be chunked."""
    policy = {"reserve_output_tokens": 100, "overlap_tokens": 40, **chunking}
    return ModelsConfig(
        default=ModelInfo(context_tokens=context_tokens, tokenizer="cl100k_base"),
        chunking=ChunkingPolicy(**policy),
    )


def report(n: int) -> str:
    """A long, plain business report: numbered paragraphs of several sentences each."""
    paragraph = (
        "Section {n} reviews the northern region. Revenue grew by twelve percent while costs rose by "
        "eight. The board asked for a plan to cut logistics spend by the end of the year. Is that "
        "feasible? The team believes it is, with a second carrier and fewer rush orders."
    )
    return "\n\n".join(paragraph.format(n=i) for i in range(1, n + 1))


class Recorder:
    """A fake model: answers from a script (or a default) and remembers every call."""

    def __init__(self, answers: dict[str, str] | None = None, default: str = "ok") -> None:
        self.answers = answers or {}
        self.default = default
        self.calls: list[tuple[str, list[dict[str, str]]]] = []

    def __call__(self, step: str, messages: list[dict[str, str]]) -> str:
        self.calls.append((step, messages))
        return self.answers.get(step, self.default)

    @property
    def steps(self) -> list[str]:
        return [step for step, _ in self.calls]


# ---------------------------------------------------------------------------------------------- splitting


def test_a_document_that_fits_is_one_chunk_unchanged() -> None:
    text = report(3)
    plan = plan_job(SHIPPED, PROMPTS, SUMMARIZE, text, "llama3.2:3b")
    assert plan.chunks == (text,) and not plan.chunked


def test_chunks_fit_the_budget_cover_the_text_in_order_and_overlap() -> None:
    text = report(60)
    chunks = split_text(text, COUNTER, max_tokens=300, overlap_tokens=40)
    assert len(chunks) > 5
    for chunk, tokens in chunks:
        assert (
            tokens <= 300 and COUNTER.count(chunk) <= 300 + 5
        )  # per-piece sums vs the whole: a token or two
        assert chunk in text
    starts = [text.index(chunk) for chunk, _ in chunks]
    assert starts == sorted(starts) and starts[0] == 0
    assert text.endswith(chunks[-1][0])
    for (previous, _), (current, _), start in zip(chunks, chunks[1:], starts[1:], strict=False):
        end_of_previous = text.index(previous) + len(previous)
        assert start < end_of_previous, "consecutive chunks share some text"
        assert end_of_previous - start < len(current) // 2


def test_chunks_end_between_sentences() -> None:
    text = report(40)
    for chunk, _ in split_text(text, COUNTER, max_tokens=250, overlap_tokens=30)[:-1]:
        assert chunk.rstrip().endswith((".", "?")), chunk[-40:]


def test_chunks_prefer_to_end_at_a_paragraph_break() -> None:
    text = report(40)
    chunks = split_text(text, COUNTER, max_tokens=250, overlap_tokens=0)
    assert len(chunks) > 3
    for chunk, _ in chunks[:-1]:  # a paragraph is ~55 tokens: a break always falls in a chunk's second half
        assert chunk.endswith("\n\n"), chunk[-40:]


def test_a_sentence_longer_than_the_budget_is_cut_inside_it() -> None:
    text = " ".join(f"word{i}" for i in range(3000))  # no sentence boundary at all
    chunks = split_text(text, COUNTER, max_tokens=200, overlap_tokens=20)
    assert len(chunks) > 10
    assert all(COUNTER.count(c) <= 200 for c, _ in chunks)
    assert "".join(c for c, _ in chunks) == text  # no boundary to overlap on: slices join back exactly


def test_the_window_comes_from_the_routed_model() -> None:
    text = report(120)  # ~7,000 tokens: over the local 4,096 window, far under the cloud 128k one
    assert plan_job(SHIPPED, PROMPTS, SUMMARIZE, text, "llama3.2:3b").chunked
    assert not plan_job(SHIPPED, PROMPTS, SUMMARIZE, text, "gpt-4o-mini").chunked


def test_estimated_counts_leave_a_safety_margin() -> None:
    exact = ModelsConfig(default=ModelInfo(context_tokens=4096, tokenizer="cl100k_base"))
    estimated = ModelsConfig(default=ModelInfo(context_tokens=4096, tokenizer="llama3"))
    text = report(120)
    budget_exact = plan_job(exact, PROMPTS, SUMMARIZE, text, "m").budget_tokens
    budget_estimated = plan_job(estimated, PROMPTS, SUMMARIZE, text, "m").budget_tokens
    assert budget_estimated == pytest.approx(budget_exact * 0.9, abs=2)


def test_the_budget_leaves_room_for_the_prompt_and_the_answer() -> None:
    plan = plan_job(small_window(700), PROMPTS, SUMMARIZE, report(30), "m")
    assert plan.chunked
    for chunk in plan.chunks:
        prompt = COUNTER.count_messages(PROMPTS.messages(SUMMARIZE, chunk, part=(1, len(plan.chunks))))
        assert prompt + 100 <= 700 + 5


def test_reduce_groups_fit_and_hold_at_least_two_answers() -> None:
    assert group_for_reduce([10, 10, 10], 100) == [[0, 1, 2]]
    assert group_for_reduce([60, 60, 60, 60, 60], 130) == [[0, 1], [2, 3, 4]]
    groups = group_for_reduce([500, 500, 500, 500], 100)
    assert all(len(g) >= 2 for g in groups) and sum(groups, []) == [0, 1, 2, 3]


# ---------------------------------------------------------------------------------------- map and reduce


def test_a_short_document_is_one_call() -> None:
    ask = Recorder(default="a summary")
    plan = plan_job(SHIPPED, PROMPTS, SUMMARIZE, report(2), "llama3.2:3b")
    assert run_task(SUMMARIZE, plan, ask, PROMPTS) == "a summary"
    assert ask.steps == ["whole"]
    assert "part" not in ask.calls[0][1][0]["content"]


def test_a_long_summary_maps_every_chunk_then_reduces_the_part_summaries() -> None:
    plan = plan_job(small_window(), PROMPTS, SUMMARIZE, report(30), "m")
    n = len(plan.chunks)
    answers = {f"map{i}": f"summary of part {i}" for i in range(1, n + 1)} | {"reduce1": "the whole"}
    ask = Recorder(answers)
    assert run_task(SUMMARIZE, plan, ask, PROMPTS) == "the whole"
    assert ask.steps == [*(f"map{i}" for i in range(1, n + 1)), "reduce1"]
    for i, (_, messages) in enumerate(ask.calls[:n], 1):
        assert f"part {i} of {n}" in messages[0]["content"]
        assert plan.chunks[i - 1] in messages[1]["content"]
    reduce_prompt = ask.calls[-1][1][1]["content"]
    assert all(f"summary of part {i}" in reduce_prompt for i in range(1, n + 1))


def test_part_answers_too_long_for_one_window_are_reduced_in_levels() -> None:
    plan = plan_job(small_window(), PROMPTS, SUMMARIZE, report(40), "m")
    long_answer = "A long part summary that repeats itself. " * 20  # ~160 tokens per part
    ask = Recorder(default=long_answer)
    run_task(SUMMARIZE, plan, ask, PROMPTS)
    reduces = [s for s in ask.steps if s.startswith("reduce")]
    assert any("." in s for s in reduces), reduces  # grouped reduce calls at level 1 ...
    assert reduces[-1] in ("reduce2", "reduce3")  # ... then one call at a higher level
    for step, messages in ask.calls:
        if step.startswith("reduce"):
            assert COUNTER.count_messages(messages) + 100 <= 700 + 10


def test_custom_prompts_are_map_reduced_with_the_instruction_in_the_reduce_call() -> None:
    task = TaskSpec(kind=TaskKind.CUSTOM, prompt="List the risks. {text}")
    plan = plan_job(small_window(), PROMPTS, task, report(30), "m")
    ask = Recorder()
    run_task(task, plan, ask, PROMPTS)
    assert ask.steps[-1] == "reduce1"
    assert "List the risks." in ask.calls[-1][1][1]["content"]


# --------------------------------------------------------------------------------------------------- vote


def classify_plan(parts: int = 5) -> tuple[TaskSpec, Plan]:
    task = TaskSpec(kind=TaskKind.CLASSIFY, labels=("finance", "legal", "other"))
    plan = plan_job(small_window(), PROMPTS, task, report(30), "m")
    assert len(plan.chunks) >= parts
    return task, plan


def test_a_long_document_is_classified_by_majority_over_its_first_chunks() -> None:
    task, plan = classify_plan()
    ask = Recorder({"map1": "legal", "map2": "finance", "map3": " Finance\n"})
    assert run_task(task, plan, ask, PROMPTS) == "finance"
    assert ask.steps == ["map1", "map2", "map3"]  # classify_vote_chunks: 3, not every chunk


def test_a_tied_vote_goes_to_the_earliest_chunk_and_unknown_answers_do_not_vote() -> None:
    task, plan = classify_plan()
    assert (
        run_task(task, plan, Recorder({"map1": "legal", "map2": "finance", "map3": "banana"}), PROMPTS)
        == "legal"
    )
    nothing = Recorder({"map1": "banana", "map2": "??", "map3": "no idea"}, default="still no label")
    with pytest.raises(InvalidOutput, match="not one of the"):
        run_task(task, plan, nothing, PROMPTS)
    assert "map3:repair2" in nothing.steps  # each part had its repairs before the job gave up


# ------------------------------------------------------------------------------------------ extract merge

EXTRACT = TaskSpec(kind=TaskKind.EXTRACT, fields=("region", "growth", "carrier"))


def test_a_long_extraction_takes_each_field_from_the_first_part_that_has_it() -> None:
    plan = plan_job(small_window(), PROMPTS, EXTRACT, report(30), "m")
    n = len(plan.chunks)
    answers = {
        "map1": json.dumps({"region": "north", "growth": None, "carrier": ""}),
        "map2": json.dumps({"region": "south", "growth": "12%", "carrier": None}),
    }
    ask = Recorder(answers, default=json.dumps({"region": None, "growth": None, "carrier": None}))
    merged = json.loads(run_task(EXTRACT, plan, ask, PROMPTS))
    assert merged == {"region": "north", "growth": "12%", "carrier": ""}
    assert ask.steps == [f"map{i}" for i in range(1, n + 1)]  # merged here: no extra call


def test_an_invalid_extraction_answer_is_repaired_with_the_validation_error() -> None:
    plan = plan_job(SHIPPED, PROMPTS, EXTRACT, report(2), "llama3.2:3b")
    good = json.dumps({"region": "north", "growth": "12%", "carrier": None})
    ask = Recorder({"whole": json.dumps({"region": "north"}), "whole:repair1": good})
    assert json.loads(run_task(EXTRACT, plan, ask, PROMPTS))["growth"] == "12%"
    assert ask.steps == ["whole", "whole:repair1"]
    repair = ask.calls[1][1]
    assert repair[-2] == {"role": "assistant", "content": json.dumps({"region": "north"})}
    assert "missing required growth, carrier" in repair[-1]["content"]


def test_an_answer_still_invalid_after_the_repairs_fails_without_quoting_it() -> None:
    plan = plan_job(SHIPPED, PROMPTS, EXTRACT, report(2), "llama3.2:3b")
    leaked = json.dumps({"region": 12345678, "growth": "x", "carrier": None})
    ask = Recorder(default=leaked)
    with pytest.raises(InvalidOutput) as failure:
        run_task(EXTRACT, plan, ask, PROMPTS)
    assert ask.steps == ["whole", "whole:repair1", "whole:repair2"]  # max_repairs: 2
    message = str(failure.value)
    assert "after 2 repair(s)" in message and "$.region" in message and "type" in message
    assert "12345678" not in message


def test_a_custom_prompt_that_marks_the_document_carries_it_once() -> None:
    task = TaskSpec(kind=TaskKind.CUSTOM, prompt="Translate to French: {text}")
    (_, user) = PROMPTS.messages(task, "UNIQUE-DOCUMENT-TEXT")
    assert user["content"].count("UNIQUE-DOCUMENT-TEXT") == 1
    assert user["content"].startswith("Translate to French:")
