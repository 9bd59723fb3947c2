"""Complexity: how demanding a job is, as a 0..1 score from the document and the task, cut by config.

Features (each normalised to 0..1, then weighted):
- length: tokens estimated as characters / 4 (close enough for routing, no tokenizer needed), on a log
  scale from 100 tokens (0) to `full_length_tokens` (1);
- structure: section headings, tables, code blocks and math;
- task: extracting a few fields or picking a label is light; summarising is middling; a custom prompt
  that asks to compare, analyse, reason, evaluate (...) is heavy;
- reasoning: how argumentative the document itself is (distinct connectives such as therefore,
  whereas, notwithstanding);
- language: English is easiest for small local models; other Latin-script languages, then other
  scripts, demand more.
"""

from __future__ import annotations

import math
import re

from worker.classifier.config import ComplexityConfig
from worker.classifier.detectors.base import Doc, wordset
from worker.schema import Complexity, TaskKind, TaskSpec

_WEIGHTS = {"task": 0.35, "length": 0.30, "structure": 0.15, "reasoning": 0.10, "language": 0.10}

_HEADING = re.compile(
    r"^(?:#{1,6}[ \t]+\S|(?:[0-9]{1,2}\.){1,3}[0-9]{0,2}[ \t]+[A-Z]|(?:Section|Article|Chapter|Part|§)[ \t]+"
    r"[0-9IVXLC]+\b|[A-Z][A-Z0-9 ,&/\-]{4,60}$)",
    re.MULTILINE,
)
_PIPE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
_TAB_ROW = re.compile(r"^[^\t\n]*\t[^\t\n]*\t[^\n]*$", re.MULTILINE)
# Code: lines ending in ";" "{" "}", or the keywords of common languages.
_CODE_LINE_ENDS = (";\n", "{\n", "}\n")
_CODE_WORDS = wordset(
    "def",
    "import",
    "return",
    "elif",
    "lambda",
    "const",
    "var",
    "println",
    "printf",
    "void",
    "namespace",
    "func",
    "struct",
    "select",
    "insert",
    "endif",
    "foreach",
)
# Inline TeX: "$x^2 + y_1$" (no space just inside the dollars, unlike "$5 and $10"); checked for a
# TeX operator afterwards.
_MATH_DOLLAR = re.compile(r"\$(?=[^\s$])[^$\n]{1,120}?(?<=[^\s$])\$")
_MATH_LATEX = re.compile(r"\\(?:frac|sum|int|sqrt|begin\{(?:equation|align)|partial|mathbb)")
_MATH_SYMBOLS = re.compile(r"[∑∫√∂≤≥≈∞]")
_REASONING = wordset(
    "therefore",
    "thus",
    "hence",
    "whereas",
    "consequently",
    "notwithstanding",
    "nevertheless",
    "furthermore",
    "moreover",
    "hypothesis",
    "conclude",
    "conclusion",
    "implies",
    "assuming",
    "contrast",
    "theorem",
    "lemma",
    "proof",
    "hereinafter",
    "indemnify",
    "indemnification",
    "liability",
    "tradeoff",
    "counterfactual",
    "causal",
    "regression",
    "inference",
    "whereby",
    "heretofore",
    "provided",
)
_DEMANDING_PROMPT = re.compile(
    r"\b(?:compar\w*|contrast\w*|analy[sz]\w*|reason\w*|evaluat\w*|assess\w*|critiqu\w*|critic\w*|justif\w*|"
    r"explain why|derive|prove|synthesi[sz]\w*|recommend\w*|trade-?offs?|pros and cons|step by step|"
    r"implications?|root cause|strateg\w*|argue|infer\w*|predict\w*|diagnos\w*|risks?|plan)\b"
)
_LIGHT_PROMPT = re.compile(r"\b(?:translate|list|extract|classify|label|tag|count|find|fix typos|rewrite)\b")
# The most frequent English function words: an English text of any length uses most of them.
_ENGLISH = wordset(
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "it",
    "with",
    "as",
    "was",
    "on",
    "be",
    "by",
    "this",
    "are",
    "or",
    "at",
    "from",
    "an",
    "have",
    "not",
    "but",
    "which",
    "we",
    "you",
    "will",
    "can",
    "has",
    "their",
    "they",
    "our",
    "all",
    "would",
    "there",
    "been",
    "if",
    "any",
    "such",
    "shall",
    "its",
)
# Above this many distinct English function words, the document is English (German or French prose of
# any length shares at most a handful: "in", "an", "was", "as").
_ENGLISH_MIN = 6
_NON_LATIN = re.compile(r"[\u0370-\u1fff\u2c00-\ufaff]")


class ComplexityScorer:
    """Scores a document + task; deterministic, cheap, with the features returned for `reasons`."""

    def __init__(self, config: ComplexityConfig) -> None:
        self._config = config
        self._length_span = math.log(config.full_length_tokens / 100)

    def score(self, doc: Doc, task: TaskSpec) -> tuple[Complexity, float, str]:
        text = doc.text
        tokens = max(1, math.ceil(len(text) / 4))
        length = _clamp(math.log(max(tokens, 100) / 100) / self._length_span)

        headings = len(_HEADING.findall(text))
        tables = (_count_blocks(_PIPE_ROW, text) if "|" in text else 0) + (
            _count_blocks(_TAB_ROW, text) if "\t" in text else 0
        )
        code = _code_blocks(text, doc.words)
        math_hits = _math(text)
        structure = _clamp(0.04 * headings + 0.2 * tables + 0.2 * code + 0.05 * math_hits)

        task_demand, task_label = _task_demand(task)
        reasoning_words = len(_REASONING & doc.words)
        reasoning = _clamp(reasoning_words / 6)
        language, language_label = _language(doc)

        parts = {
            "task": task_demand,
            "length": length,
            "structure": structure,
            "reasoning": reasoning,
            "language": language,
        }
        score = round(_clamp(sum(_WEIGHTS[name] * value for name, value in parts.items())), 3)
        if score >= self._config.complex_at_or_above:
            level = Complexity.COMPLEX
        elif score < self._config.simple_below:
            level = Complexity.SIMPLE
        else:
            level = Complexity.MODERATE
        reason = (
            f"complexity: score={score:.3f} tokens~{tokens} sections={headings} tables={tables} code={code} "
            f"math={math_hits} task={task_label} reasoning_words={reasoning_words} language={language_label}"
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


def _language(doc: Doc) -> tuple[float, str]:
    text = doc.text
    if len(text) < 200:
        return 0.0, "too-short-to-tell"
    if len(_ENGLISH & doc.words) >= _ENGLISH_MIN:
        return 0.0, "en"
    if not text.isascii():
        sample = text[:4000]
        if len(_NON_LATIN.findall(sample)) > 0.3 * len(sample.replace(" ", "")):
            return 1.0, "non-latin"
    return 0.5, "other"


def _code_blocks(text: str, words: frozenset[bytes]) -> int:
    """Fenced blocks, or one block for unfenced code (three or more code-looking lines)."""
    fences = text.count("```") // 2
    if fences:
        return fences
    code_lines = sum(text.count(end) for end in _CODE_LINE_ENDS) if ("{" in text or ";\n" in text) else 0
    return 1 if code_lines >= 3 or len(_CODE_WORDS & words) >= 3 else 0


def _math(text: str) -> int:
    hits = (
        sum(1 for m in _MATH_DOLLAR.findall(text) if any(c in m for c in "\\^_="))
        if text.count("$") >= 2
        else 0
    )
    if "\\" in text:
        hits += len(_MATH_LATEX.findall(text))
    if not text.isascii():
        hits += len(_MATH_SYMBOLS.findall(text))
    return hits


def _count_blocks(pattern: re.Pattern[str], text: str) -> int:
    """Runs of matching lines count once: a 20-row table is one table."""
    blocks, last_end = 0, -1
    for match in pattern.finditer(text):
        if last_end < 0 or text.count("\n", last_end, match.start()) > 1:
            blocks += 1
        last_end = match.end()
    return blocks


def _clamp(value: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, value))
