"""Token counting: exact cl100k_base from installed files, labelled estimates otherwise, never the network."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from worker import tokens
from worker.tokens import counter_for


@pytest.fixture
def fresh_tokenizer() -> Iterator[None]:
    """Forget the per-process caches, so a test sees the encoding load from scratch (and after it)."""
    tokens.cl100k_encoding.cache_clear()
    counter_for.cache_clear()
    yield
    tokens.cl100k_encoding.cache_clear()
    counter_for.cache_clear()


def test_cl100k_counts_are_exact_and_match_the_reference_ids() -> None:
    counter = counter_for("cl100k_base")
    assert counter.method == "exact:cl100k_base" and counter.exact
    encoding = tokens.cl100k_encoding()
    assert encoding is not None
    assert encoding.encode_ordinary("hello world") == [15339, 1917]  # tiktoken's published ids
    assert counter.count("hello world") == 2


def test_other_tokenizers_get_a_labelled_cl100k_estimate() -> None:
    counter = counter_for("o200k_base")
    assert counter.method == "estimate:cl100k_base" and not counter.exact
    text = "Quarterly revenue rose 12% while logistics costs fell."
    assert counter.count(text) == counter_for("cl100k_base").count(text)


def test_special_token_text_in_a_document_is_counted_as_text() -> None:
    assert counter_for("cl100k_base").count("before <|endoftext|> after") > 3


def test_count_many_agrees_with_count() -> None:
    counter = counter_for("llama3")
    texts = ["one", "two words", "", "Ünïcödé text, with punctuation!"]
    assert counter.count_many(texts) == [counter.count(t) for t in texts]


def test_chat_messages_add_a_few_tokens_per_message() -> None:
    counter = counter_for("cl100k_base")
    messages = [{"role": "system", "content": "hello world"}, {"role": "user", "content": "hello world"}]
    assert counter.count_messages(messages) == 3 + 2 * (4 + 2)


def test_loading_the_encoding_touches_neither_network_nor_tiktoken_cache(
    fresh_tokenizer: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("token counting tried to use the network")

    def no_download(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("tiktoken's downloading loader was used")

    import tiktoken.load

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(tiktoken.load, "read_file_cached", no_download)
    counter = counter_for("cl100k_base")
    assert counter.exact and counter.count("hello world") == 2


def test_without_the_offline_files_counts_are_a_labelled_byte_estimate(
    fresh_tokenizer: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tokens, "_offline_file", lambda: None)
    with capture_logs() as logs:
        counter = counter_for("cl100k_base")
    assert [e["event"] for e in logs] == ["tokenizer_offline_missing"]
    assert counter.method == "estimate:utf8_bytes/4" and not counter.exact
    assert counter.count("abcd" * 10) == 10
    assert counter.count("é" * 4) == 2  # bytes, not characters: non-Latin text is not under-counted


def test_a_tampered_encoding_file_is_not_trusted(
    fresh_tokenizer: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bogus = tmp_path / "cl100k_base.tiktoken"
    bogus.write_bytes(b"aGVsbG8= 0\n")
    monkeypatch.setattr(tokens, "_offline_file", lambda: bogus)
    with capture_logs() as logs:
        assert counter_for("cl100k_base").method == "estimate:utf8_bytes/4"
    assert [e["event"] for e in logs] == ["tokenizer_file_mismatch"]
