"""Task-aware agreement between two answers to the same job (`turnout compare`), offline and deterministic.

- extract: field by field, after normalising values (case, spacing, surrounding punctuation, number
  formatting; "", null, "unknown", "n/a" all mean "not found"); the score is the fraction of fields
  that match, and two answers agree when every field does.
- classify: the label each answer names (case and punctuation aside; a sentence that names exactly one
  allowed label counts as that label); the score is 1 or 0.
- summarize, custom: ROUGE-L F1, the longest common subsequence of word tokens relative to both answers'
  lengths (Lin, 2004), with no stemming and no stop-word removal. It rewards the same content in the
  same order and needs no model or download. Two answers agree when F1 >= the threshold (default 0.4);
  their score is then 1, else 0.

`credit` is what an answer contributes to the agreement of a mix of answers: the fraction of matching
fields for extract, 1 or 0 (agrees or not) for the other tasks.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from worker.schema import TaskKind, TaskSpec

DEFAULT_SUMMARY_THRESHOLD = 0.4
# ROUGE-L is quadratic in the answers' lengths; longer answers are compared on their first tokens.
MAX_SIMILARITY_TOKENS = 2000

_EMPTY = frozenset({"", "null", "none", "unknown", "n/a", "na", "not found", "not available", "not stated"})
_EDGE_PUNCTUATION = " \t\n\"'`.,;:!?()[]{}<>"
_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CURRENCY = re.compile(r"^(?:[$€£¥]|usd|eur|gbp)\s*|\s*(?:[$€£¥]|usd|eur|gbp)$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Agreement:
    """How far one answer agrees with the reference answer for the same job."""

    agrees: bool
    score: float  # extract: fraction of matching fields; classify: 1/0; summarize/custom: ROUGE-L F1
    credit: float  # its share in a mix's agreement: field fraction (extract), else 1.0 if it agrees

    def as_json(self) -> dict[str, Any]:
        return {"agrees": self.agrees, "score": round(self.score, 4), "credit": round(self.credit, 4)}


@dataclass(frozen=True)
class Measure:
    """The agreement measure for one task, as `turnout compare` names it in its output."""

    task: TaskSpec
    summary_threshold: float = DEFAULT_SUMMARY_THRESHOLD

    @property
    def name(self) -> str:
        return {
            TaskKind.EXTRACT: "field match",
            TaskKind.CLASSIFY: "label match",
        }.get(self.task.kind, "ROUGE-L F1")

    def describe(self) -> str:
        if self.task.kind is TaskKind.EXTRACT:
            return (
                "field match: the share of fields whose normalised values are equal "
                "(case, spacing, punctuation and number format aside; empty, null and 'unknown' are equal)"
            )
        if self.task.kind is TaskKind.CLASSIFY:
            return "label match: both answers name the same label (case and punctuation aside)"
        return (
            f"ROUGE-L F1 over word tokens (longest common subsequence; offline, no stemming): "
            f"two answers agree at F1 >= {self.summary_threshold:g}"
        )

    def as_json(self) -> dict[str, Any]:
        threshold = (
            self.summary_threshold if self.task.kind in (TaskKind.SUMMARIZE, TaskKind.CUSTOM) else None
        )
        return {"name": self.name, "description": self.describe(), "threshold": threshold}

    def compare(self, reference: str, answer: str) -> Agreement:
        if self.task.kind is TaskKind.EXTRACT:
            fraction = field_agreement(reference, answer, self.task.fields)
            return Agreement(agrees=fraction == 1.0, score=fraction, credit=fraction)
        if self.task.kind is TaskKind.CLASSIFY:
            same = label_of(reference, self.task.labels) == label_of(answer, self.task.labels)
            return Agreement(agrees=same, score=float(same), credit=float(same))
        f1 = rouge_l_f1(reference, answer)
        agrees = f1 >= self.summary_threshold
        return Agreement(agrees=agrees, score=f1, credit=float(agrees))

    def failed(self) -> Agreement:
        """An answer that never came (it did not validate): production would have had nothing."""
        return Agreement(agrees=False, score=0.0, credit=0.0)


# ---------------------------------------------------------------------------------------------- extract


def field_agreement(reference: str, answer: str, fields: tuple[str, ...]) -> float:
    """The fraction of `fields` whose normalised values are equal in both JSON answers."""
    ref, ans = _json_object(reference), _json_object(answer)
    names = list(fields) or sorted(set(ref) | set(ans))
    if not names:
        return 1.0 if ref == ans else 0.0
    same = sum(normalise_value(ref.get(n)) == normalise_value(ans.get(n)) for n in names)
    return same / len(names)


def normalise_value(value: Any) -> Any:
    """A canonical form of an extracted value, so formatting differences do not count as disagreement."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return _number(float(value))
    if isinstance(value, str):
        text = " ".join(unicodedata.normalize("NFKC", value).casefold().split()).strip(_EDGE_PUNCTUATION)
        if text in _EMPTY:
            return None
        bare = _CURRENCY.sub("", text).strip()
        if _NUMBER.match(bare):
            return _number(float(bare.replace(",", "")))
        return text
    if isinstance(value, list):  # order aside: a model may list the same things in another order
        found = [item for item in map(normalise_value, value) if item is not None]
        return tuple(sorted(found, key=repr)) or None
    if isinstance(value, dict):
        pairs = ((str(k), normalise_value(v)) for k, v in value.items())
        return tuple(sorted((k, v) for k, v in pairs if v is not None)) or None
    return value


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _json_object(answer: str) -> dict[str, Any]:
    try:
        value = json.loads(answer)
    except (json.JSONDecodeError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}


# --------------------------------------------------------------------------------------------- classify


def label_of(answer: str, labels: tuple[str, ...]) -> str:
    """The allowed label an answer names (normalised), or the normalised answer when it names none."""
    text = " ".join(unicodedata.normalize("NFKC", answer).casefold().split()).strip(_EDGE_PUNCTUATION)
    allowed = {label.casefold().strip(): label.casefold().strip() for label in labels}
    if text in allowed:
        return allowed[text]
    named = [label for label in allowed if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)]
    return named[0] if len(named) == 1 else text


# ------------------------------------------------------------------------------------ summarize, custom


def tokens(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())[:MAX_SIMILARITY_TOKENS]


def rouge_l_f1(reference: str, answer: str) -> float:
    """ROUGE-L F1 (beta = 1) of two texts over lower-cased word tokens."""
    ref, ans = tokens(reference), tokens(answer)
    if not ref or not ans:
        return 1.0 if ref == ans else 0.0
    lcs = lcs_length(ref, ans)
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(ans), lcs / len(ref)
    return 2 * precision * recall / (precision + recall)


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence, in O(len(a) x len(b)) time and O(len(b)) memory."""
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, 1):
            current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]
