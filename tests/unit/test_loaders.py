"""Document loaders: every file or record becomes a document or a rejection that says why.

Fixtures are written into tmp_path by each test: PDFs by hand (and encrypted with pypdf's
writer), DOCX with python-docx, everything else as bytes.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from producer.loaders import LoadedDocument, LoaderOptions, Rejection, iter_documents


def load(*paths: str | Path, **options: object) -> list[LoadedDocument | Rejection]:
    return list(iter_documents([str(p) for p in paths], LoaderOptions(**options)))  # type: ignore[arg-type]


def only(*paths: str | Path, **options: object) -> LoadedDocument | Rejection:
    results = load(*paths, **options)
    assert len(results) == 1, results
    return results[0]


def assert_rejected(result: LoadedDocument | Rejection, source: str | Path, reason: str) -> None:
    assert isinstance(result, Rejection), result
    assert result.source == str(source)
    assert reason in result.reason


def assert_document(result: LoadedDocument | Rejection, source: str | Path) -> LoadedDocument:
    assert isinstance(result, LoadedDocument), result
    assert result.source == str(source)
    return result


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
    return path


def pdf_bytes(pages: list[str | None], compress: bool = False) -> bytes:
    """A minimal valid PDF: one Helvetica text line per page, or a page with no content for None.

    With ``compress``, content streams are Flate-encoded (so the text can be far larger than the file).
    """
    catalog, font = (
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    )
    objects = [catalog, "", font]
    kids = []
    for text in pages:
        content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET" if text else ""
        flate = ""
        if compress:
            content, flate = (
                zlib.compress(content.encode("latin-1")).decode("latin-1"),
                " /Filter /FlateDecode",
            )
        objects.append(f"<< /Length {len(content)}{flate} >>\nstream\n{content}\nendstream")
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref_offset = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref_offset}\n%%EOF\n".encode()
    return bytes(out)


def encrypted_pdf_bytes(pages: list[str | None], user_password: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes(pages)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- plain text and markdown -------------------------------------------------------------


def test_text_file_is_one_document_with_format_and_chars(tmp_path: Path) -> None:
    path = write(tmp_path / "note.txt", "héllo world\n")
    doc = assert_document(only(path), path)
    assert doc.text == "héllo world\n"
    assert doc.metadata == {"format": "txt", "chars": 12}


def test_markdown_is_kept_as_written(tmp_path: Path) -> None:
    path = write(tmp_path / "README.MD", "# Title\n\n* item **bold**\n")
    doc = assert_document(only(path), path)
    assert doc.text == "# Title\n\n* item **bold**\n"
    assert doc.metadata["format"] == "md"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbfhello")
    assert assert_document(only(path), path).text == "hello"


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.txt", b"")
    assert_rejected(only(path), path, "empty file")


def test_whitespace_only_file_is_an_empty_document(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.md", " \n\t\n ")
    assert_rejected(only(path), path, "empty document")


def test_nul_bytes_mean_a_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path / "image.txt", b"GIF89a\x00\x01\x02 text")
    assert_rejected(only(path), path, "binary file (NUL bytes)")


def test_invalid_utf8_is_rejected_with_the_offset_of_the_first_bad_byte(tmp_path: Path) -> None:
    path = write(tmp_path / "latin1.txt", b"caf" + b"\xe9 ok \xff")
    assert_rejected(only(path), path, "invalid UTF-8 at byte 3")


def test_invalid_utf8_offset_counts_the_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "bom-latin1.txt", b"\xef\xbb\xbfab\xe9")
    assert_rejected(only(path), path, "invalid UTF-8 at byte 5")


def test_invalid_utf8_replace_mode_counts_replacements_only(tmp_path: Path) -> None:
    # One real U+FFFD in the file must not be counted as a replacement.
    path = write(tmp_path / "mixed.txt", b"a\xffb\xe2\x82c \xef\xbf\xbd")
    doc = assert_document(only(path, invalid_utf8="replace"), path)
    assert doc.text == "a\ufffdb\ufffdc \ufffd"
    assert doc.metadata["utf8_replaced"] == 2


def test_valid_file_has_no_replacement_count(tmp_path: Path) -> None:
    path = write(tmp_path / "ok.txt", "fine")
    assert "utf8_replaced" not in assert_document(only(path, invalid_utf8="replace"), path).metadata


def test_file_over_the_size_limit_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "x" * 101)
    assert_rejected(only(path, max_document_bytes=100), path, "document is 101 bytes, over the limit of 100")


def test_file_at_the_size_limit_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "edge.txt", "x" * 100)
    assert_document(only(path, max_document_bytes=100), path)


def test_unknown_extension_is_unsupported(tmp_path: Path) -> None:
    path = write(tmp_path / "tool.EXE", b"MZ")
    assert_rejected(only(path), path, "unsupported file type '.exe'")


def test_file_without_extension_is_unsupported(tmp_path: Path) -> None:
    path = write(tmp_path / "Makefile", "all:")
    assert_rejected(only(path), path, "unsupported file type (no extension)")


def test_invalid_options_are_refused() -> None:
    with pytest.raises(ValueError, match="invalid_utf8"):
        LoaderOptions(invalid_utf8="ignore")  # type: ignore[arg-type]


# --- paths that cannot be read -----------------------------------------------------------


def test_missing_path_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    assert_rejected(only(path), path, "no such file or directory")


def test_broken_symlink_is_rejected(tmp_path: Path) -> None:
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    assert_rejected(only(link), link, "broken symbolic link")


def test_symlink_to_itself_is_unreadable_even_for_root(tmp_path: Path) -> None:
    link = tmp_path / "loop.txt"
    link.symlink_to(link)
    assert_rejected(only(link), link, "unreadable: Too many levels of symbolic links")


def skip_unless_modes_are_enforced(path: Path) -> None:
    """Root (with CAP_DAC_OVERRIDE) reads and lists whatever the mode; there the case cannot happen."""
    try:
        os.listdir(path) if path.is_dir() else path.open("rb").close()
    except PermissionError:
        return
    pytest.skip("file modes are not enforced for this user (root)")


def test_file_without_read_permission_is_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", "x")
    path.chmod(0)
    skip_unless_modes_are_enforced(path)
    try:
        assert_rejected(only(path), path, "unreadable: Permission denied")
    finally:
        path.chmod(0o600)


def test_directory_without_permission_is_unreadable_and_loading_goes_on(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    write(locked / "a.txt", "x")
    after = write(tmp_path / "z.txt", "after")
    locked.chmod(0)
    try:
        skip_unless_modes_are_enforced(locked)
        results = load(tmp_path)
    finally:
        locked.chmod(0o700)
    assert_rejected(results[0], locked, "unreadable: Permission denied")
    assert_document(results[1], after)


def test_fifo_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert_rejected(only(fifo), fifo, "not a regular file")


# --- walking, globs, stdin ---------------------------------------------------------------


def test_directories_are_walked_recursively_in_sorted_order_skipping_hidden(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.md", "a/c/d.txt", "C.txt", ".hidden.txt", ".git/x.txt", "a/.cache/y.txt"]:
        write(tmp_path / name, name)
    sources = [r.source for r in load(tmp_path)]
    assert sources == [str(tmp_path / n) for n in ["C.txt", "a/c/d.txt", "a/z.md", "b.txt"]]


def test_hidden_file_named_explicitly_is_loaded(tmp_path: Path) -> None:
    path = write(tmp_path / ".notes.txt", "explicit")
    assert_document(only(path), path)


def test_arguments_keep_their_order_and_a_bad_one_does_not_stop_the_rest(tmp_path: Path) -> None:
    first = write(tmp_path / "z.txt", "z")
    missing = tmp_path / "missing.txt"
    last = write(tmp_path / "a.txt", "a")
    results = load(first, missing, last)
    assert [r.source for r in results] == [str(first), str(missing), str(last)]
    assert [type(r) for r in results] == [LoadedDocument, Rejection, LoadedDocument]


def test_a_single_string_is_one_path_not_characters(tmp_path: Path) -> None:
    path = write(tmp_path / "one.txt", "x")
    assert [r.source for r in iter_documents(str(path))] == [str(path)]


def test_symlink_loops_are_walked_once_and_files_loaded_once(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "a.txt", "a")
    (docs / "again").symlink_to(docs)  # loop back to the top
    (docs / "same.txt").symlink_to(docs / "a.txt")
    assert [r.source for r in load(docs, docs / "a.txt")] == [str(docs / "a.txt")]


def test_glob_patterns_are_expanded_recursively_and_sorted(tmp_path: Path) -> None:
    write(tmp_path / "docs/b.pdf", pdf_bytes(["B"]))
    write(tmp_path / "docs/sub/a.pdf", pdf_bytes(["A"]))
    write(tmp_path / "docs/sub/skip.txt", "not a pdf")
    write(tmp_path / "docs/.hidden/h.pdf", pdf_bytes(["H"]))
    results = load(tmp_path / "docs/**/*.pdf")
    assert [r.source for r in results] == [str(tmp_path / "docs/b.pdf"), str(tmp_path / "docs/sub/a.pdf")]


def test_glob_matching_nothing_is_rejected(tmp_path: Path) -> None:
    pattern = tmp_path / "*.docx"
    assert_rejected(only(pattern), pattern, "no files match the pattern")


def test_dash_reads_one_document_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"from a pipe\n")))
    doc = assert_document(only("-"), "<stdin>")
    assert doc.text == "from a pipe\n"
    assert doc.metadata["format"] == "txt"


def test_empty_stdin_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert_rejected(only("-"), "<stdin>", "empty file")


def test_stdin_over_the_limit_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 11)))
    assert_rejected(only("-", max_document_bytes=10), "<stdin>", "over the limit of 10 bytes")


def test_results_stream_one_at_a_time(tmp_path: Path) -> None:
    """The first result arrives before later files exist, so nothing is read ahead."""
    first = write(tmp_path / "1.txt", "one")
    later = tmp_path / "2.txt"
    results = iter_documents([str(first), str(later)])
    assert_document(next(results), first)
    write(later, "written after the first result")
    assert_document(next(results), later)


def test_importing_the_loaders_does_not_import_parsers() -> None:
    code = (
        "import sys, producer.loaders\n"
        "heavy = {'pypdf', 'docx', 'selectolax', 'lxml'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)


# --- JSONL -------------------------------------------------------------------------------


def test_jsonl_yields_one_document_per_record_and_skips_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "data.jsonl", '{"text": "first"}\n\n  \n{"text": "third"}\n')
    results = load(path)
    assert [r.source for r in results] == [f"{path}:1", f"{path}:4"]
    assert [r.text for r in results if isinstance(r, LoadedDocument)] == ["first", "third"]
    assert results[0].metadata == {"format": "jsonl", "chars": 5}  # type: ignore[union-attr]


def test_jsonl_bad_lines_are_rejected_one_by_one(tmp_path: Path) -> None:
    lines = [
        '{"text": "ok"}',
        '{"text": ',
        "[1, 2]",
        '{"body": "no text field"}',
        '{"text": 42}',
        '{"text": "   "}',
        '{"text": "still ok"}',
    ]
    path = write(tmp_path / "mixed.ndjson", "\n".join(lines) + "\n")
    results = load(path)
    assert [r.source for r in results] == [f"{path}:{n}" for n in range(1, 8)]
    assert_document(results[0], f"{path}:1")
    assert_rejected(results[1], f"{path}:2", "malformed JSON on line 2: Expecting value")
    assert_rejected(results[2], f"{path}:3", "line 3 is not a JSON object")
    assert_rejected(results[3], f"{path}:4", "missing text field 'text' on line 4")
    assert_rejected(results[4], f"{path}:5", "text field 'text' on line 5 is not a string")
    assert_rejected(results[5], f"{path}:6", "empty document")
    assert_document(results[6], f"{path}:7")


def test_jsonl_labels_and_fields_go_to_metadata_but_never_the_text(tmp_path: Path) -> None:
    record = {
        "body": "the document",
        "sensitivity": "Confidential",
        "author": "a" * 300,
        "pages": 3,
        "score": 0.5,
        "draft": True,
        "tags": ["x"],
        "extra": None,
    }
    path = write(tmp_path / "labelled.jsonl", json.dumps(record) + "\n")
    doc = assert_document(only(path, text_field="body"), f"{path}:1")
    assert doc.text == "the document"
    assert doc.metadata == {
        "format": "jsonl",
        "chars": 12,
        "sensitivity": "confidential",
        "field.author": "a" * 200,
        "field.pages": 3,
        "field.score": "0.5",
        "field.draft": "true",
    }


def test_jsonl_unknown_sensitivity_label_rejects_the_record(tmp_path: Path) -> None:
    path = write(tmp_path / "labels.jsonl", '{"text": "x", "sensitivity": "top-secret"}\n')
    assert_rejected(only(path), f"{path}:1", "unknown sensitivity 'top-secret' on line 1")


def test_blank_sensitivity_means_unlabelled(tmp_path: Path) -> None:
    path = write(tmp_path / "labels.csv", "text,sensitivity\nfirst,\nsecond, Restricted \n")
    first, second = load(path)
    assert "sensitivity" not in assert_document(first, f"{path}:2").metadata
    assert assert_document(second, f"{path}:3").metadata["sensitivity"] == "restricted"


def test_jsonl_id_field_names_the_source(tmp_path: Path) -> None:
    records = ['{"id": "doc-7", "text": "a"}', '{"text": "no id"}', '{"id": 9, "x": 1}']
    path = write(tmp_path / "ids.jsonl", "\n".join(records) + "\n")
    results = load(path, id_field="id")
    assert_document(results[0], f"{path}#doc-7")
    assert_document(results[1], f"{path}:2")
    assert_rejected(results[2], f"{path}#9", "missing text field 'text' on line 3")


def test_jsonl_size_limit_applies_to_each_record_not_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "sizes.jsonl", '{"text": "12345"}\n{"text": "1234é"}\n{"text": "1234"}\n')
    results = load(path, max_document_bytes=5)
    assert_document(results[0], f"{path}:1")
    assert_rejected(results[1], f"{path}:2", "document is 6 bytes, over the limit of 5")
    assert_document(results[2], f"{path}:3")


def test_jsonl_runaway_line_is_rejected_without_stopping_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "long.jsonl", '{"text": "' + "x" * 200_000 + '"}\n{"text": "after"}\n')
    results = load(path, max_document_bytes=10)
    assert_rejected(results[0], f"{path}:1", "line 1 is over")
    assert_document(results[1], f"{path}:2")


def test_jsonl_invalid_utf8_rejects_only_that_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bytes.jsonl", b'{"text": "a"}\n{"text": "b\xff"}\n{"text": "c"}\n')
    results = load(path)
    assert_document(results[0], f"{path}:1")
    assert_rejected(results[1], f"{path}:2", "invalid UTF-8 on line 2 at byte 25")
    assert_document(results[2], f"{path}:3")


def test_jsonl_invalid_utf8_replace_mode_counts_per_record(tmp_path: Path) -> None:
    path = write(tmp_path / "bytes.jsonl", b'{"text": "b\xff\xfe"}\n')
    doc = assert_document(only(path, invalid_utf8="replace"), f"{path}:1")
    assert doc.text == "b\ufffd\ufffd"
    assert doc.metadata["utf8_replaced"] == 2


def test_jsonl_lone_surrogate_escape_follows_the_utf8_policy(tmp_path: Path) -> None:
    path = write(tmp_path / "surrogate.jsonl", '{"text": "a\\ud800b"}\n')
    assert_rejected(only(path), f"{path}:1", "lone surrogate")
    doc = assert_document(only(path, invalid_utf8="replace"), f"{path}:1")
    assert doc.text == "a\ufffdb"


def test_jsonl_with_only_blank_lines_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.jsonl", "\n\n   \n")
    assert_rejected(only(path), path, "no records")


def test_binary_jsonl_is_rejected_once(tmp_path: Path) -> None:
    path = write(tmp_path / "blob.jsonl", b'{"text": "a"}\n\x00\x00\x00\n')
    assert_rejected(only(path), path, "binary file (NUL bytes)")


# --- CSV ---------------------------------------------------------------------------------


def test_csv_rows_become_documents_numbered_like_a_spreadsheet(tmp_path: Path) -> None:
    content = 'id,text,sensitivity\n1,hello,public\n\n2,"multi\nline, quoted",internal\n'
    path = write(tmp_path / "rows.csv", content)
    results = load(path)
    first = assert_document(results[0], f"{path}:2")
    assert first.text == "hello"
    assert first.metadata == {"format": "csv", "chars": 5, "field.id": "1", "sensitivity": "public"}
    second = assert_document(results[1], f"{path}:4")
    assert second.text == "multi\nline, quoted"
    assert len(results) == 2


def test_csv_text_column_and_id_field_are_configurable(tmp_path: Path) -> None:
    path = write(tmp_path / "tickets.csv", "ticket,body\nT-1,printer on fire\n,no id\n")
    results = load(path, text_field="body", id_field="ticket")
    assert_document(results[0], f"{path}#T-1")
    assert_document(results[1], f"{path}:3")


def test_csv_without_a_text_column_is_read_from_its_one_obvious_text_column(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", "id,subject,Body\n7,hi,printer on fire\n")
    with capture_logs() as logs:
        (result,) = load(path)
    doc = assert_document(result, f"{path}:2")
    assert doc.text == "printer on fire"
    assert doc.metadata["field.subject"] == "hi"
    assert {"event": "csv_text_column_guessed", "source": str(path), "column": "Body"}.items() <= logs[
        0
    ].items()


def test_a_csv_with_a_single_column_is_read_from_it(tmp_path: Path) -> None:
    path = write(tmp_path / "lines.csv", "sentence\nthe first\nthe second\n")
    assert [r.text for r in load(path) if isinstance(r, LoadedDocument)] == ["the first", "the second"]


@pytest.mark.parametrize("header", ["title,content,notes", "id,subject,when"])
def test_csv_without_one_obvious_text_column_is_rejected_naming_columns_and_flag(
    tmp_path: Path, header: str
) -> None:
    path = write(tmp_path / "wrong.csv", f"{header}\na,b,c\n")
    columns = ", ".join(repr(name) for name in header.split(","))
    assert_rejected(
        only(path),
        path,
        f"missing text column 'text' in the CSV header (columns found: {columns}); "
        "name the text column with --text-field",
    )


def test_a_text_field_given_by_the_user_is_never_guessed_around(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", "id,body\n1,hello\n")
    assert_rejected(only(path, text_field="text", guess_text_field=False), path, "missing text column 'text'")


def test_csv_short_row_and_empty_text_are_rejected_per_row(tmp_path: Path) -> None:
    path = write(tmp_path / "short.csv", "id,text\n1\n2,  \n3,fine\n")
    results = load(path)
    assert_rejected(results[0], f"{path}:2", "missing text field 'text' on row 2")
    assert_rejected(results[1], f"{path}:3", "empty document")
    assert_document(results[2], f"{path}:4")


def test_csv_invalid_utf8_rejects_only_that_row(tmp_path: Path) -> None:
    path = write(tmp_path / "bytes.csv", b"text\nok\nbad \xff\nok too\n")
    results = load(path)
    assert_rejected(results[1], f"{path}:3", "invalid UTF-8 on row 3")
    assert_document(results[2], f"{path}:4")
    replaced = load(path, invalid_utf8="replace")[1]
    assert isinstance(replaced, LoadedDocument)
    assert (replaced.text, replaced.metadata["utf8_replaced"]) == ("bad \ufffd", 1)


def test_csv_row_over_the_limit_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "big.csv", "text\nsmall\n" + "x" * 50 + "\n")
    results = load(path, max_document_bytes=10)
    assert_document(results[0], f"{path}:2")
    assert_rejected(results[1], f"{path}:3", "document is 50 bytes, over the limit of 10")


def test_csv_with_only_a_header_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "header.csv", "text\n")
    assert_rejected(only(path), path, "no data rows")


# --- PDF ---------------------------------------------------------------------------------


def test_pdf_text_layer_is_extracted_with_the_page_count(tmp_path: Path) -> None:
    path = write(tmp_path / "report.pdf", pdf_bytes(["Quarterly results", None, "Page three"]))
    doc = assert_document(only(path), path)
    assert "Quarterly results" in doc.text
    assert "Page three" in doc.text
    assert doc.metadata["format"] == "pdf"
    assert doc.metadata["pages"] == 3


def test_pdf_with_no_text_layer_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "scan.pdf", pdf_bytes([None, None]))
    assert_rejected(only(path), path, "no extractable text (scanned or image-only PDF?)")


def test_password_protected_pdf_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "locked.pdf", encrypted_pdf_bytes(["secret plans"], user_password="pw"))
    assert_rejected(only(path), path, "encrypted PDF")


def test_encrypted_pdf_with_an_empty_password_opens(tmp_path: Path) -> None:
    path = write(tmp_path / "restricted.pdf", encrypted_pdf_bytes(["open to read"], user_password=""))
    assert "open to read" in assert_document(only(path), path).text


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    data = pdf_bytes(["Quarterly results"])
    path = write(tmp_path / "cut.pdf", data[: len(data) // 2])
    assert_rejected(only(path), path, "corrupt PDF")


def test_file_named_pdf_without_a_pdf_header_is_corrupt(tmp_path: Path) -> None:
    path = write(tmp_path / "fake.pdf", "just text")
    assert_rejected(only(path), path, "corrupt PDF: no PDF header")


# --- DOCX --------------------------------------------------------------------------------


def test_docx_paragraphs_and_table_cells_are_extracted_in_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Contract", level=1)
    document.add_paragraph("Between the parties.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Name", "Amount"
    table.cell(1, 0).text, table.cell(1, 1).text = "Alice", "100"
    document.add_paragraph("Signed.")
    path = tmp_path / "contract.docx"
    document.save(str(path))

    doc = assert_document(only(path), path)
    assert doc.text == "Contract\nBetween the parties.\nName\tAmount\nAlice\t100\nSigned."
    assert doc.metadata == {"format": "docx", "chars": len(doc.text), "paragraphs": 3}


def test_docx_without_text_is_an_empty_document(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    assert_rejected(only(path), path, "empty document")


def test_corrupt_docx_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.docx", b"PK\x03\x04 not really a zip archive" * 10)
    assert_rejected(only(path), path, "corrupt DOCX")


def test_legacy_or_encrypted_word_file_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert_rejected(only(path), path, "encrypted DOCX or legacy .doc file")


# --- HTML --------------------------------------------------------------------------------


HTML_PAGE = """<!doctype html>
<html><head><title>  Release
 notes </title><style>body { color: red }</style><script>var secret = 1;</script></head>
<body>
<header>Site header</header>
<nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<main><h1>Version 2</h1><p>Faster <b>loading</b> and fewer bugs.</p><p>Second paragraph.</p>
<div hidden>hidden text</div>
<table><tr><td>Item</td><td>Price</td></tr></table>
<script>document.write("injected")</script><noscript>Enable JS</noscript></main>
<footer>Copyright</footer>
</body></html>
"""


HTML_NOISE = ["Site header", "Home", "secret", "color", "injected", "Enable JS", "Copyright", "hidden text"]


def test_html_keeps_title_and_visible_text_without_noise(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", HTML_PAGE)
    doc = assert_document(only(path), path)
    assert doc.metadata["title"] == "Release notes"
    lines = [
        "Release notes",
        "",
        "Version 2",
        "Faster loading and fewer bugs.",
        "Second paragraph.",
        "Item Price",
    ]
    assert doc.text == "\n".join(lines)
    for noise in HTML_NOISE:
        assert noise not in doc.text


def test_html_without_visible_text_or_title_is_an_empty_document(tmp_path: Path) -> None:
    path = write(tmp_path / "shell.htm", "<html><body><script>app()</script><nav>menu</nav></body></html>")
    assert_rejected(only(path), path, "empty document")


def test_html_invalid_utf8_follows_the_policy(tmp_path: Path) -> None:
    path = write(tmp_path / "legacy.html", b"<p>caf\xe9</p>")
    assert_rejected(only(path), path, "invalid UTF-8 at byte 6")
    doc = assert_document(only(path, invalid_utf8="replace"), path)
    assert (doc.text, doc.metadata["utf8_replaced"]) == ("caf\ufffd", 1)


def test_markdown_records_its_section_count_ignoring_code_fences(tmp_path: Path) -> None:
    text = "# Title\n\nIntro.\n\n## Part one\n\n```sh\n# a shell comment, not a heading\n```\n\n### Part two\n#hashtag\n"
    doc = assert_document(only(write(tmp_path / "guide.md", text)), tmp_path / "guide.md")
    assert doc.metadata == {"format": "md", "chars": len(text), "sections": 3}


def test_html_records_the_headings_of_the_visible_page_as_sections(tmp_path: Path) -> None:
    page = "<html><body><nav><h2>Menu</h2></nav><h1>Notes</h1><p>a</p><h2>More</h2><p>b</p></body></html>"
    doc = assert_document(only(write(tmp_path / "notes.html", page)), tmp_path / "notes.html")
    assert doc.metadata["sections"] == 2
