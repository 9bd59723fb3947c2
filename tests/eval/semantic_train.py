"""Trains the measured embedding classifier from the embedding cache (tests/eval/semantic_embed.py) and writes
its weights to a file: a logistic regression on each passage's e5 embedding, the document's
score is its highest passage score. Deterministic: fixed seed, full-batch gradient descent.

The threshold is picked by grouped cross-validation on the training material only (folds by corpus part,
so a fold's documents come from a generator the model did not see): the lowest threshold whose out-of-fold
false-positive rate, on documents the rules leave public, stays under TARGET_FPR.

    python -m tests.eval.semantic_train /tmp/embedcache/ind.npz /tmp/embedcache/C.npz [--write=MODEL.npz]
"""

from __future__ import annotations

import json
import sys

import numpy as np

L2 = 1e-2
STEPS = 600
RATE = 2.0
TARGET_FPR = 0.03


def fit(raw: np.ndarray, y: np.ndarray, w_pos: float) -> tuple[np.ndarray, float]:
    """Weighted logistic regression by full-batch gradient descent (no randomness: reproducible), on
    standardised features (e5 embeddings differ little from one another: unscaled, it barely moves); the
    scaling is folded back into the weights, so the runtime needs only a dot product."""
    mu = raw.mean(axis=0)
    sd = raw.std(axis=0) + 1e-6
    x = (raw - mu) / sd
    w = np.zeros(x.shape[1], dtype=np.float64)
    b = 0.0
    weight = np.where(y == 1, w_pos, 1.0)
    weight = weight / weight.sum()
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w + b, -50, 50)))
        g = (p - y) * weight
        w -= RATE * (x.T @ g + L2 * w)
        b -= RATE * g.sum()
    return w / sd, b - float((mu / sd) @ w)


def doc_scores(emb: np.ndarray, owner: np.ndarray, n: int, w: np.ndarray, b: float) -> np.ndarray:
    """Each document's highest passage logit (logits, not probabilities: these saturate at 1.0)."""
    out = np.full(n, -np.inf)
    np.maximum.at(out, owner, emb @ w + b)
    return out


def load(*paths: str) -> tuple[np.ndarray, np.ndarray, list[dict[str, object]]]:
    """One or more embedding caches, concatenated."""
    embs, owners, meta = [], [], []
    for path in paths:
        with np.load(path) as z:
            embs.append(z["emb"].astype(np.float64))
            owners.append(z["owner"] + len(meta))
            meta.extend(json.loads(str(z["meta"])))
    return np.concatenate(embs), np.concatenate(owners), meta


def passage_labels(owner: np.ndarray, meta: list[dict[str, object]]) -> np.ndarray:
    # Every passage of a sensitive document is labelled sensitive: noisy (filler passages), but the
    # document score is a max, so the cost of the noise is a higher threshold, not a miss.
    return np.array([int(meta[i]["label"]) for i in owner], dtype=np.float64)


def train(emb: np.ndarray, owner: np.ndarray, meta: list[dict[str, object]]) -> tuple[np.ndarray, float]:
    y = passage_labels(owner, meta)
    return fit(emb, y, w_pos=(y == 0).sum() / max((y == 1).sum(), 1))


def cross_validate(
    emb: np.ndarray, owner: np.ndarray, meta: list[dict[str, object]]
) -> tuple[np.ndarray, np.ndarray, float]:
    """Out-of-fold document scores (folds: corpus parts), and the fold models' average, which is what
    ships: a model trained on everything scores on another scale (more confident) than the fold models
    whose out-of-fold scores the threshold is picked from, so the threshold would not carry over to it."""
    groups = np.array([str(m["group"]) for m in meta])
    oof = np.zeros(len(meta))
    ws, bs = [], []
    for g in sorted(set(groups)):
        test_docs = groups == g
        keep = ~test_docs[owner]
        w, b = train(emb[keep], owner[keep], meta)
        ws.append(w)
        bs.append(b)
        s = doc_scores(emb, owner, len(meta), w, b)
        oof[test_docs] = s[test_docs]
    return oof, np.mean(ws, axis=0), float(np.mean(bs))


def pick_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    neg = np.sort(scores[labels == 0])
    # The smallest threshold with FPR <= TARGET_FPR among negatives.
    k = int(np.floor(TARGET_FPR * len(neg)))
    return float(neg[len(neg) - k - 1]) + 1e-6


def main() -> None:
    emb, owner, meta = load(*[a for a in sys.argv[1:] if not a.startswith("--")])
    labels = np.array([int(m["label"]) for m in meta])
    oof, w, b = cross_validate(emb, owner, meta)
    threshold = pick_threshold(oof, labels)
    flagged = oof >= threshold
    print(f"docs {len(meta)} (sensitive {labels.sum()}), passages {len(owner)}")
    print(
        f"CV threshold (logit) {threshold:.3f}: recall {flagged[labels == 1].mean():.3f} fpr {flagged[labels == 0].mean():.3f}"
    )
    groups = sorted({str(m["group"]) for m in meta})
    for g in groups:
        sel = np.array([m["group"] == g for m in meta])
        print(
            f"  fold {g}: recall {flagged[sel & (labels == 1)].mean():.3f} fpr {flagged[sel & (labels == 0)].mean():.3f}"
        )
    for arg in sys.argv:
        if arg.startswith("--write="):
            out = arg.removeprefix("--write=")
            np.savez(out, w=w.astype(np.float32), b=np.float32(b), threshold=np.float32(threshold))
            print("wrote", out)


if __name__ == "__main__":
    main()
