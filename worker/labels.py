"""Classification answers checked against the labels: what counts as naming a label, and repairs.

Real models rarely answer with the bare label. "Invoice.", "**invoice**", "The label is: Invoice" and
"Label: invoice" and `{"label": "invoice"}` all name the label `invoice` (case, surrounding punctuation and markup, and a lead-in are
ignored); a sentence that merely mentions a label does not ("This is not an invoice"). An answer that
names no label is sent back once per allowed repair with the list of labels, then the job fails with
`invalid_output`: a result's label is always one of the labels given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

from worker.extraction import Ask, InvalidOutput, parse_json_answer

# (messages so far, the answer that is not a label, the labels) -> messages asking again
LabelRepair = Callable[[list[dict[str, str]], str, tuple[str, ...]], list[dict[str, str]]]

_LEAD_IN = re.compile(
    r"^(?:(?:so|thus|therefore),?\s+)?(?:the\s+)?(?:final\s+)?"
    r"(?:label|answer|category|class|classification)\s*(?:is|would be|:|=|-)\s*:?\s*",
    re.I,
)
_EDGES = " \t\r\n\"'`*_.,;:!?()[]{}<>"


def label_key(text: str) -> str:
    """How a label and an answer are compared: case, separators and edge punctuation ignored."""
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split()).strip(_EDGES)


def match_label(answer: str, labels: Sequence[str]) -> str | None:
    """The label `answer` names (as the labels spell it), or None. A JSON answer `{"label": "x"}` (what
    a server answers when it constrains output to the label schema, worker/prompts.py) names `x`."""
    keys = {label_key(label): label for label in labels}
    text = _from_json(answer).strip().strip(_EDGES)
    for candidate in (text, _LEAD_IN.sub("", text, count=1)):
        key = label_key(candidate)
        if key in keys:
            return keys[key]
    return None


def _from_json(answer: str) -> str:
    if "{" not in answer:
        return answer
    try:
        value = parse_json_answer(answer)
    except json.JSONDecodeError:
        return answer
    if isinstance(value, dict) and isinstance(value.get("label"), str):
        return str(value["label"])
    return answer


def ask_label(
    ask: Ask,
    step: str,
    messages: list[dict[str, str]],
    labels: tuple[str, ...],
    repair: LabelRepair,
    max_repairs: int,
) -> str:
    """Ask, and while the answer names no label, ask again with the labels (at most max_repairs times)."""
    answer = ask(step, messages)
    for n in range(1, max_repairs + 1):
        if (label := match_label(answer, labels)) is not None:
            return label
        messages = repair(messages, answer, labels)
        answer = ask(f"{step}:repair{n}", messages)
    if (label := match_label(answer, labels)) is not None:
        return label
    raise InvalidOutput(f"the answer was not one of the {len(labels)} labels after {max_repairs} repair(s)")
