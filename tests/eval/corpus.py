"""The labelled evaluation corpus: generated with a fixed seed, split into a development part (used
while building the classifier) and a held-out part (used only for the final measurement).

A sensitive document is business prose with one sensitive item embedded mid-text; a clean document
is the same kind of prose, full of look-alikes, with nothing sensitive in it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.eval.positives import POSITIVES
from tests.eval.prose import document

SEED = 20261128
DOCS_PER_KIND = 150
CLEAN_DOCS = 2400
HOLDOUT_FRACTION = 0.4


@dataclass(frozen=True)
class Case:
    """One labelled document: `kind` is the corpus kind for sensitive documents, "clean" otherwise."""

    doc_id: str
    text: str
    kind: str
    sensitive: bool
    expected: frozenset[str]
    holdout: bool
    planted: str = ""  # the sensitive sentence (synthetic values), for failure messages


SIZES_CHARS = (600, 1500, 3000, 4000)


def generate(
    seed: int = SEED,
    docs_per_kind: int = DOCS_PER_KIND,
    clean_docs: int = CLEAN_DOCS,
    sizes_chars: tuple[int, ...] = SIZES_CHARS,
) -> list[Case]:
    """The whole corpus, deterministic for a given seed; document sizes are drawn from `sizes_chars`."""
    rng = random.Random(seed)
    cases: list[Case] = []
    for kind, (expected, templates) in sorted(POSITIVES.items()):
        for index in range(docs_per_kind):
            parts = document(rng, rng.choice(sizes_chars))
            sentence = rng.choice(templates)(rng)
            _embed(rng, parts, sentence)
            cases.append(_case(rng, f"{kind}-{index}", "\n\n".join(parts), kind, expected, sentence))
    for index in range(clean_docs):
        parts = document(rng, rng.choice(sizes_chars))
        cases.append(_case(rng, f"clean-{index}", "\n\n".join(parts), "clean", frozenset()))
    return cases


def _embed(rng: random.Random, parts: list[str], sentence: str) -> None:
    """Put the sentence mid-text: inside a paragraph between sentences, or as its own line/paragraph."""
    index = rng.randrange(len(parts))
    paragraph = parts[index]
    cut_points = [i + 2 for i, c in enumerate(paragraph) if c == "." and paragraph[i + 1 : i + 2] == " "]
    if cut_points and rng.random() < 0.6 and "\n" not in sentence and not sentence.isupper():
        cut = rng.choice(cut_points)
        parts[index] = paragraph[:cut] + sentence + " " + paragraph[cut:]
    else:
        parts.insert(index + rng.randrange(2), sentence)


def _case(
    rng: random.Random, doc_id: str, text: str, kind: str, expected: frozenset[str], planted: str = ""
) -> Case:
    return Case(doc_id, text, kind, kind != "clean", expected, rng.random() < HOLDOUT_FRACTION, planted)


def split(cases: list[Case]) -> tuple[list[Case], list[Case]]:
    """(development, held-out)."""
    return [c for c in cases if not c.holdout], [c for c in cases if c.holdout]
