"""A reproducible sample of the documents `turnout compare` runs, drawn while they stream in.

Each document is ranked by a hash of (seed, source) and the `size` lowest ranks are kept: the same seed
and the same inputs give the same sample whatever order the files are read in, a document keeps its
place when others are added, and only `size` documents are held in memory at once.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

from producer.loaders import LoadedDocument, Rejection


@dataclass
class Sample:
    documents: list[LoadedDocument]  # in the order they were read
    loaded: int  # documents read (the sample's population)
    rejected: list[Rejection] = field(default_factory=list)


def draw_sample(items: Iterable[LoadedDocument | Rejection], size: int | None, seed: int) -> Sample:
    """Keep `size` documents (every one when `size` is None), collect every rejection."""
    if size is not None and size < 1:
        raise ValueError("the sample size must be at least 1")
    kept: list[tuple[int, int, int, LoadedDocument]] = []  # a max-heap on rank: (-rank, -order, order, doc)
    rejected: list[Rejection] = []
    loaded = 0
    for item in items:
        if isinstance(item, Rejection):
            rejected.append(item)
            continue
        entry = (-_rank(seed, item.source), -loaded, loaded, item)
        loaded += 1
        if size is None or len(kept) < size:
            heapq.heappush(kept, entry)
        elif entry[:2] > kept[0][:2]:  # ranks lower than the highest kept
            heapq.heapreplace(kept, entry)
    documents = [doc for *_, doc in sorted(kept, key=lambda e: e[2])]
    return Sample(documents=documents, loaded=loaded, rejected=rejected)


def _rank(seed: int, source: str) -> int:
    digest = hashlib.sha256(f"{seed}\x1f{source}".encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big")
