"""Set H through the heldout4 evaluator (heldout4/later_set.py): corpus, run, manifest freeze and check."""

from __future__ import annotations

from pathlib import Path

from ..heldout4.evaluate import Result
from ..heldout4.later_set import LaterSet
from . import set_h
from .doc import SENSITIVE, build, canonical, fingerprint

__all__ = ["MANIFEST", "SETS", "SET_H", "Result", "corpus", "freeze", "frozen_sha", "run"]

MANIFEST = Path(__file__).with_name("MANIFEST.json")
SET_H = LaterSet(
    "heldout8", "H", set_h.SPECS, set_h.CATEGORY, MANIFEST, build, canonical, fingerprint, SENSITIVE
)
SETS = SET_H.sets
corpus = SET_H.corpus
run = SET_H.run
freeze = SET_H.freeze
frozen_sha = SET_H.frozen_sha
