"""Document names are stored and printed escaped: storable, one line, and the original recoverable."""

from __future__ import annotations

import json
import os

import pytest

from producer.loaders import LoadedDocument, Rejection
from producer.names import escape_name, unescape_name
from producer.submission import _storable
from worker.schema import JobResult, JobStatus

HOSTILE = [
    os.fsdecode(b"docs/bad\n\xffname.txt"),  # a newline and a byte that is not UTF-8
    "docs/a\rb\tc\x1b[31mred\x7f\x85.txt",  # CR, tab, an ANSI escape, DEL, a C1 control
    "docs/\u202etxt.exe",  # a right-to-left override (Trojan Source)
    "docs/line\u2028sep\u2029para.txt",
    "docs/back\\slash\\n-not-a-newline.txt",  # a literal backslash-n must not unescape to a newline
]


@pytest.mark.parametrize("name", HOSTILE)
def test_an_escaped_name_is_one_printable_line_that_utf8_and_json_accept(name: str) -> None:
    escaped = escape_name(name)
    assert escaped.isprintable()
    assert len(escaped.splitlines()) == 1
    escaped.encode("utf-8")  # Redis and JSON need this; the raw name raised UnicodeEncodeError
    JobResult(job_id="j", batch_id="b", source=escaped, status=JobStatus.REJECTED).model_dump_json()


@pytest.mark.parametrize("name", HOSTILE)
def test_escaping_is_one_to_one(name: str) -> None:
    assert unescape_name(escape_name(name)) == name


@pytest.mark.parametrize("name", ["docs/report.txt", "données/été 日本語 ✓.md", "a b/c-d_e.txt", "<stdin>"])
def test_ordinary_names_are_left_alone(name: str) -> None:
    assert escape_name(name) == name


def test_two_names_never_escape_alike() -> None:
    literal = "a\\nb"  # backslash, n
    newline = "a\nb"
    assert escape_name(literal) != escape_name(newline)


def test_submission_escapes_names_and_reasons_before_they_are_stored() -> None:
    bad = os.fsdecode(b"x\n\xff.txt")
    doc = _storable(LoadedDocument(bad, "text", {"format": "txt"}))
    rejection = _storable(Rejection(bad, f"unsupported file type '{bad}'"))
    assert isinstance(doc, LoadedDocument) and doc.source == "x\\n\\xff.txt" and doc.text == "text"
    assert isinstance(rejection, Rejection) and "\n" not in rejection.reason
    json.dumps(rejection.reason, ensure_ascii=False).encode("utf-8")
