"""Long documents: split by tokens on paragraph and sentence boundaries, then map-reduce, merge or vote.

A document whose prompt fits the routed model's window (configs/models.yaml) is one call, as always.
A longer one is split into chunks that fit, each chunk is one call ("map"), and the answers become one:
- summarize, custom: the part answers are combined by a reduce call (hierarchically when they do not
  fit one window together);
- extract: each part's answer is validated on its own, then merged field by field, taking the first
  non-empty value in document order (no extra call; see `extraction.merge_answers`);
- classify: each answer must name one of the labels (worker/labels.py, with repairs); a long document is
  classified by a majority vote over its first `classify_vote_chunks` chunks, ties to the earliest chunk.
Nothing here chooses a route or a model: chunking happens on the route the policy chose.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from worker.extraction import Ask, InvalidOutput, ask_valid, check_value, merge_answers, validator_for
from worker.labels import ask_label
from worker.model_catalog import ModelsConfig
from worker.prompts import PromptTemplates, output_json_schema
from worker.schema import TaskKind, TaskSpec
from worker.tokens import TokenCounter, counter_for

MIN_CHUNK_TOKENS = 256
# A piece ends after a blank line (a paragraph), a line break, or a sentence's end and its spaces.
_BOUNDARY = re.compile(r"\n[ \t]*\n\s*|\n|(?<=[.!?])[\"'”’)\]]*[ \t]+")


@dataclass(frozen=True)
class Plan:
    """How one document is processed on one model: its chunks and the budgets that made them."""

    chunks: tuple[str, ...]
    chunk_tokens: tuple[int, ...]  # document tokens in each chunk
    overhead_tokens: int  # prompt tokens around the document text in each call (per chunk)
    budget_tokens: int  # the most document tokens one call may carry
    counter: TokenCounter
    vote_chunks: int
    max_repairs: int

    @property
    def chunked(self) -> bool:
        return len(self.chunks) > 1


def plan_job(
    models: ModelsConfig,
    prompts: PromptTemplates,
    task: TaskSpec,
    text: str,
    model: str,
    *,
    sized: bool = True,
) -> Plan:
    """Decide whether `text` fits `model`'s window for `task`, and if not, how it is split.

    `sized=False` (the workers, which read no sizes): a document whose UTF-8 bytes fit the budget fits
    for sure (no token is shorter than a byte) and is not tokenized; its `chunk_tokens` is that bound.
    The decision is the same either way; an estimate of the bill needs the exact sizes."""
    info = models.info(model)
    policy = models.chunking
    counter = counter_for(info.tokenizer)
    chunk_overhead, whole_overhead = _prompt_overheads(prompts, task, info.tokenizer)
    room = info.context_tokens - chunk_overhead - policy.reserve_output_tokens
    if not counter.exact:
        room = room * (100 - policy.estimate_margin_pct) // 100
    budget = max(MIN_CHUNK_TOKENS, room)
    tokens = len(text.encode("utf-8", "surrogatepass")) if not sized else budget + 1
    if tokens > budget:
        tokens = counter.count(text)
    chunks: tuple[str, ...]
    sizes: tuple[int, ...]
    overhead = chunk_overhead
    if tokens <= budget:
        chunks, sizes = (text,), (tokens,)
        overhead = whole_overhead
    else:
        overlap = min(policy.overlap_tokens, budget // 4)
        pieces = split_text(text, counter, budget, overlap)
        chunks, sizes = tuple(p[0] for p in pieces), tuple(p[1] for p in pieces)
    return Plan(
        chunks=chunks,
        chunk_tokens=sizes,
        overhead_tokens=overhead,
        budget_tokens=budget,
        counter=counter,
        vote_chunks=policy.classify_vote_chunks,
        max_repairs=models.extraction.max_repairs,
    )


_OVERHEADS: dict[tuple[int, str, str], tuple[PromptTemplates, tuple[int, int]]] = {}


def _prompt_overheads(prompts: PromptTemplates, task: TaskSpec, tokenizer: str) -> tuple[int, int]:
    """The prompt's tokens around the text: as a chunk (with the part note a chunk gets, a little more)
    and as a whole document. The same for every job of a task, so counted once per process and task
    (four tokenizer passes a job otherwise)."""
    key = (id(prompts), task.model_dump_json(), tokenizer)
    cached = _OVERHEADS.get(key)
    if cached is not None and cached[0] is prompts:  # the same templates, not a new object at an old id
        return cached[1]
    counter = counter_for(tokenizer)
    overheads = (
        counter.count_messages(prompts.messages(task, "", part=(999, 999))),
        counter.count_messages(prompts.messages(task, "")),
    )
    if len(_OVERHEADS) >= 256:
        _OVERHEADS.clear()
    _OVERHEADS[key] = (prompts, overheads)
    return overheads


def split_text(
    text: str, counter: TokenCounter, max_tokens: int, overlap_tokens: int
) -> list[tuple[str, int]]:
    """Consecutive chunks of at most `max_tokens` (as counted piece by piece) with their token counts.

    Chunks are exact slices of `text`, cut between sentences, preferring a paragraph break when one
    falls in the second half of a chunk; each chunk after the first repeats up to `overlap_tokens` of the
    end of the previous one. A single sentence longer than `max_tokens` is cut inside, at whitespace.
    """
    pieces = _pieces(text, counter, max_tokens)
    ends_paragraph = [p[2] for p in pieces]
    sizes = [p[3] for p in pieces]
    total = [0]  # total[i]: tokens of pieces[:i]
    for n in sizes:
        total.append(total[-1] + n)
    chunks: list[tuple[str, int]] = []
    start = 0
    while start < len(pieces):
        end = start + 1
        while end < len(pieces) and total[end + 1] - total[start] <= max_tokens:
            end += 1
        if end < len(pieces):
            for cut in range(end, start + 1, -1):  # prefer ending at a paragraph, at least half full
                if ends_paragraph[cut - 1] and total[cut] - total[start] >= max_tokens // 2:
                    end = cut
                    break
        chunks.append((text[pieces[start][0] : pieces[end - 1][1]], total[end] - total[start]))
        if end >= len(pieces):
            break
        # Overlap: repeat trailing pieces, while the next chunk still has room for the next new piece.
        room = min(overlap_tokens, max_tokens - sizes[end])
        back = end
        while back - 1 > start and total[end] - total[back - 1] <= room:
            back -= 1
        start = back
    return chunks


def group_for_reduce(token_counts: list[int], budget_tokens: int) -> list[list[int]]:
    """Consecutive groups of partial answers that fit one reduce call; at least two per group."""
    groups: list[list[int]] = []
    current: list[int] = []
    used = 0
    for i, n in enumerate(token_counts):
        if len(current) >= 2 and used + n > budget_tokens:
            groups.append(current)
            current, used = [], 0
        current.append(i)
        used += n
    if current:
        if len(current) == 1 and groups:
            groups[-1].append(current[0])
        else:
            groups.append(current)
    return groups


def run_task(task: TaskSpec, plan: Plan, ask: Ask, prompts: PromptTemplates) -> str:
    """The job's final output, from one call or from several for a long document."""
    if task.kind is TaskKind.EXTRACT:
        return _extract(task, plan, ask, prompts)
    if task.kind is TaskKind.CLASSIFY and task.labels:
        return _vote(task, plan, ask, prompts)
    if not plan.chunked:
        return ask("whole", prompts.messages(task, plan.chunks[0]))
    if task.kind is TaskKind.CLASSIFY:
        return _vote(task, plan, ask, prompts)
    partials = _map(task, plan, ask, prompts)
    return _reduce(task, plan, partials, ask, prompts)


def _parts(plan: Plan, count: int | None = None) -> list[tuple[str, tuple[int, int] | None]]:
    chunks = plan.chunks[:count] if count else plan.chunks
    if not plan.chunked:
        return [(chunks[0], None)]
    return [(chunk, (n, len(plan.chunks))) for n, chunk in enumerate(chunks, 1)]


def _map(task: TaskSpec, plan: Plan, ask: Ask, prompts: PromptTemplates) -> list[str]:
    return [
        ask(f"map{n}", prompts.messages(task, chunk, part)) for n, (chunk, part) in enumerate(_parts(plan), 1)
    ]


def _reduce(task: TaskSpec, plan: Plan, partials: list[str], ask: Ask, prompts: PromptTemplates) -> str:
    level = 1
    while True:
        sizes = plan.counter.count_many(partials)
        if len(partials) == 1:
            return partials[0]
        if sum(sizes) <= plan.budget_tokens:
            return ask(f"reduce{level}", prompts.reduce_messages(task, partials))
        partials = [
            ask(f"reduce{level}.{g}", prompts.reduce_messages(task, [partials[i] for i in group]))
            for g, group in enumerate(group_for_reduce(sizes, plan.budget_tokens), 1)
        ]
        level += 1


def _vote(task: TaskSpec, plan: Plan, ask: Ask, prompts: PromptTemplates) -> str:
    """Every answer must name one of the labels (worker/labels.py, with repairs). A long document's parts
    vote; a part whose answer names no label even after its repairs does not vote."""
    valid: list[str] = []
    failure: InvalidOutput | None = None
    for n, (chunk, part) in enumerate(_parts(plan, plan.vote_chunks), 1):
        try:
            valid.append(
                ask_label(
                    ask,
                    "whole" if part is None else f"map{n}",
                    prompts.messages(task, chunk, part),
                    task.labels,
                    prompts.label_repair_messages,
                    plan.max_repairs,
                )
            )
        except InvalidOutput as exc:
            failure = exc
    if not valid:
        assert failure is not None
        raise failure
    counts = Counter(valid)
    best = max(counts.values())
    return next(label for label in valid if counts[label] == best)  # ties: the earliest chunk's


def _extract(task: TaskSpec, plan: Plan, ask: Ask, prompts: PromptTemplates) -> str:
    schema = output_json_schema(task)
    if schema is None:
        raise InvalidOutput("extract task without fields or schema")
    validator = validator_for(schema)
    values: list[Any] = [
        ask_valid(
            ask,
            "whole" if part is None else f"map{n}",
            prompts.messages(task, chunk, part),
            validator,
            prompts.repair_messages,
            plan.max_repairs,
        )
        for n, (chunk, part) in enumerate(_parts(plan), 1)
    ]
    merged = merge_answers(values)
    if plan.chunked and (error := check_value(merged, validator)) is not None:
        raise InvalidOutput(f"the merged answer of {len(values)} parts does not validate: {error}")
    return json.dumps(merged, ensure_ascii=False)


def _pieces(text: str, counter: TokenCounter, max_tokens: int) -> list[tuple[int, int, bool, int]]:
    """(start, end, ends_paragraph, tokens) pieces covering `text`, none over `max_tokens` but by a little."""
    spans: list[tuple[int, int, bool]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.end() > start:
            spans.append((start, match.end(), match.group(0).count("\n") > 1))
            start = match.end()
    if start < len(text):
        spans.append((start, len(text), True))
    pieces: list[tuple[int, int, bool, int]] = []
    for (a, b, para), tokens in zip(spans, counter.count_many([text[a:b] for a, b, _ in spans]), strict=True):
        if tokens <= max_tokens:
            pieces.append((a, b, para, tokens))
            continue
        cuts = _cut_long(text, a, b, para, tokens, max_tokens)
        counts = counter.count_many([text[x:y] for x, y, _ in cuts])
        pieces.extend((x, y, p, n) for (x, y, p), n in zip(cuts, counts, strict=True))
    return pieces


def _cut_long(
    text: str, a: int, b: int, para: bool, tokens: int, max_tokens: int
) -> list[tuple[int, int, bool]]:
    """Cut one over-long piece into slices of about 80% of the budget, at whitespace where possible."""
    step = max(1, int((b - a) * max_tokens * 0.8 / tokens))
    out: list[tuple[int, int, bool]] = []
    while a < b:
        end = min(b, a + step)
        if end < b:
            space = text.rfind(" ", a + step // 2, end)
            end = space + 1 if space > a else end
        out.append((a, end, para and end == b))
        a = end
    return out
