"""Complexity: how demanding a job is, as a 0..1 score from the document and the task, cut by config.

Features (each normalised to 0..1, then weighted):
- length: tokens estimated as characters / 4 (close enough for routing, no tokenizer needed), on a log
  scale from 100 tokens (0) to `full_length_tokens` (1);
- structure: section headings, tables, code blocks and math;
- task: extracting a few fields or picking a label is light; summarising is middling; a custom prompt
  that asks to compare, analyse, reason, evaluate (...) is heavy;
- reasoning: how argumentative the document itself is (therefore, whereas, notwithstanding, ...);
- language: English is easiest for small local models; other Latin-script languages, then other
  scripts, demand more.
"""

from __future__ import annotations

import math
import re

from worker.classifier.config import ComplexityConfig
from worker.classifier.detectors.base import Doc
from worker.schema import Complexity, TaskKind, TaskSpec

_WEIGHTS = {"task": 0.35, "length": 0.30, "structure": 0.15, "reasoning": 0.10, "language": 0.10}

_HEADING = re.compile(
    r"^(?:#{1,6}\s+\S|(?:\d+\.){1,3}\d*\s+[A-Z]|(?:section|article|chapter|part|§)\s+[\dIVXLC]+\b|"
    r"[A-Z][A-Z0-9 ,&/\-]{4,60}$)",
    re.MULTILINE,
)
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$|^[^\t\n]*\t[^\t\n]*\t[^\n]*$", re.MULTILINE)
_CODE = re.compile(
    r"^```|^ {4,}\S.*[;{}]\s*$|^\s*(?:def|class|import|from \S+ import|function|public|private|return|"
    r"SELECT|INSERT|UPDATE|CREATE)\b|[;{]\s*$",
    re.MULTILINE,
)
_MATH = re.compile(r"\$[^$\n]{2,}\$|\\(?:frac|sum|int|sqrt|begin\{equation|alpha|beta|partial)|[∑∫√∂≤≥≈∞]")
_REASONING_WORDS = re.compile(
    r"\b(?:therefore|thus|hence|however|whereas|consequently|notwithstanding|provided that|subject to|"
    r"nevertheless|furthermore|moreover|hypothesis|conclude|implies|assuming|because|trade-?off|"
    r"in contrast|on the other hand|theorem|lemma|proof|heretofore|hereinafter|indemnif\w*|liabilit\w*)\b"
)
_DEMANDING_PROMPT = re.compile(
    r"\b(?:compar\w*|contrast\w*|analy[sz]\w*|reason\w*|evaluat\w*|assess\w*|critiqu\w*|critic\w*|justif\w*|"
    r"explain why|derive|prove|synthesi[sz]\w*|recommend\w*|trade-?offs?|pros and cons|step by step|"
    r"implications?|root cause|strateg\w*|argue|infer\w*|predict\w*|diagnos\w*|risks?|plan)\b"
)
_LIGHT_PROMPT = re.compile(r"\b(?:translate|list|extract|classify|label|tag|count|find|fix typos|rewrite)\b")
_ENGLISH_STOPWORDS = frozenset(
    {
        "the", "of", "and", "to", "in", "is", "that", "for", "it", "with", "as", "was", "on", "be", "by",
        "this", "are", "or", "at", "from", "an", "have", "not", "but", "which", "we", "you", "will", "can",
        "has", "their", "they", "our", "all", "would", "there", "been", "if", "more", "its", "also",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


class ComplexityScorer:
    """Scores a document + task; deterministic, cheap, with the features returned for `reasons`."""

    def __init__(self, config: ComplexityConfig) -> None:
        self._config = config

    def score(self, doc: Doc, task: TaskSpec) -> tuple[Complexity, float, str]:
        text = doc.text
        tokens = max(1, math.ceil(len(text) / 4))
        span = math.log(self._config.full_length_tokens / 100)
        length = _clamp(math.log(max(tokens, 100) / 100) / span)

        headings = len(_HEADING.findall(text))
        tables = _count_blocks(_TABLE_ROW, text)
        code = _count_blocks(_CODE, text)
        math_hits = len(_MATH.findall(text))
        structure = _clamp(0.04 * headings + 0.2 * tables + 0.2 * code + 0.05 * math_hits)

        task_demand, task_label = _task_demand(task)
        words = _WORD.findall(doc.lower)
        reasoning_hits = len(_REASONING_WORDS.findall(doc.lower))
        reasoning = _clamp(reasoning_hits / max(len(words), 1) * 1000 / 25)
        language, language_label = _language(words, text)

        parts = {"task": task_demand, "length": length, "structure": structure, "reasoning": reasoning,
                 "language": language}
        score = round(_clamp(sum(_WEIGHTS[name] * value for name, value in parts.items())), 3)
        if score >= self._config.complex_at_or_above:
            level = Complexity.COMPLEX
        elif score < self._config.simple_below:
            level = Complexity.SIMPLE
        else:
            level = Complexity.MODERATE
        reason = (
            f"complexity: score={score:.3f} tokens~{tokens} sections={headings} tables={tables} code={code} "
            f"math={math_hits} task={task_label} reasoning={reasoning:.2f} language={language_label}"
        )
        return level, score, reason


def _task_demand(task: TaskSpec) -> tuple[float, str]:
    if task.kind is TaskKind.EXTRACT:
        return _clamp(0.15 + 0.03 * max(0, len(task.fields) - 2), hi=0.5), f"extract({len(task.fields)})"
    if task.kind is TaskKind.CLASSIFY:
        return _clamp(0.1 + 0.01 * len(task.labels), hi=0.35), f"classify({len(task.labels)})"
    if task.kind is TaskKind.SUMMARIZE:
        return 0.4, "summarize"
    prompt = (task.prompt or "").lower()
    demanding = len(set(_DEMANDING_PROMPT.findall(prompt)))
    base = 0.25 if _LIGHT_PROMPT.search(prompt) and not demanding else 0.45
    return _clamp(base + 0.2 * demanding), f"custom(demanding={demanding})"


def _language(words: list[str], text: str) -> tuple[float, str]:
    if len(words) < 20:
        return 0.0, "too-short-to-tell"
    sample = words[:2000]
    non_latin = sum(1 for w in sample if not w.isascii() and not _latin(w))
    if non_latin / len(sample) > 0.3:
        return 1.0, "non-latin"
    english = sum(1 for w in sample if w in _ENGLISH_STOPWORDS)
    if english / len(sample) >= 0.12:
        return 0.0, "en"
    return 0.5, "other"


def _latin(word: str) -> bool:
    return all(ord(c) < 0x250 for c in word)


def _count_blocks(pattern: re.Pattern[str], text: str) -> int:
    """Runs of matching lines count once: a 20-row table is one table."""
    blocks, last_end = 0, -10
    for match in pattern.finditer(text):
        gap = text.count("\n", last_end, match.start()) if last_end >= 0 else 2
        if gap > 1:
            blocks += 1
        last_end = match.end()
    return blocks


def _clamp(value: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, value))
