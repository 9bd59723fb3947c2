"""Bounded work per file: deep HTML parses in linear time, slow files overrun a per-file budget,
zip bombs and oversized PDFs are refused early, and parser warnings name their file.

Bombs are built on the fly from a small deflate segment repeated, so a 2 GiB expansion costs the
test a couple of MB; whether a load stayed bounded is read from the loading process's peak memory.
"""

from __future__ import annotations

import json
import multiprocessing
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from producer.loaders import LoadedDocument, LoaderOptions, iter_documents
from producer.loaders.html import load_html
from producer.loaders.html_depth import (
    MAX_ATTRIBUTE_NAMES,
    MAX_ATTRIBUTES,
    MAX_HTML_DEPTH,
    MAX_OPTIONS,
    MAX_TAG_NAMES,
    bound_markup,
)
from tests.unit.test_loaders import assert_document, assert_rejected, load, only, pdf_bytes, write

MIB = 1 << 20


# --- HTML nesting ------------------------------------------------------------------------------


def test_deep_nesting_keeps_all_text_and_drops_only_tags_past_the_cap() -> None:
    depth = 3 * MAX_HTML_DEPTH
    markup = (
        "<html><body>" + "".join(f"<div>t{i}" for i in range(depth)) + "</div>" * depth + "</body></html>"
    )
    capped = bound_markup(markup)
    assert capped.count("<div>") == MAX_HTML_DEPTH - 2  # html and body count towards the depth
    assert capped.count("</div>") == capped.count("<div>")
    doc = load_html("deep.html", markup.encode(), LoaderOptions())
    assert isinstance(doc, LoadedDocument)
    assert all(f"t{i}" in doc.text for i in (0, MAX_HTML_DEPTH, depth - 1))


def test_pages_within_the_cap_are_parsed_exactly_as_written() -> None:
    page = "<html><body>" + "<div><p>a<p>b<ul><li>c<li>d</ul>" * 400 + "</div>" * 400 + "</body></html>"
    assert bound_markup(page, max_depth=2000) == page


def test_script_text_and_comments_are_not_read_as_tags() -> None:
    markup = "<body>" + "<script>" + "<div>" * 500 + "</script><!--" + "<div>" * 500 + "-->x" * 100
    assert bound_markup(markup, max_depth=10) == markup


def test_nav_inside_deep_divs_is_still_dropped(tmp_path: Path) -> None:
    navs = "".join(f"<nav>menu{i}</nav><p>para{i}</p>" for i in range(300))
    page = "<html><body>" + "<div>" * 20_000 + navs + "</div>" * 20_000 + "</body></html>"
    doc = assert_document(only(write(tmp_path / "deep.html", page)), tmp_path / "deep.html")
    assert "para299" in doc.text
    assert "menu" not in doc.text


def test_nested_dropped_elements_are_removed_once(tmp_path: Path) -> None:
    page = "<body><nav>a<nav>b<script>c</script></nav><header>d</header></nav><p>kept</p></body>"
    doc = assert_document(only(write(tmp_path / "n.html", page)), tmp_path / "n.html")
    assert doc.text == "kept"


def _attribute_count(markup: str, selector: str) -> int:
    from selectolax.lexbor import LexborHTMLParser

    node = LexborHTMLParser(markup).css_first(selector)
    assert node is not None
    return len(node.attributes)


def _attributes(count: int, value: str = "") -> str:
    return " ".join(f"a{i}{value}" for i in range(count))


def test_a_tag_with_many_distinct_attributes_loads_with_its_text(tmp_path: Path) -> None:
    # 150,000 distinct names: Lexbor alone took minutes on this, past the 30 s budget.
    page = f"<html><body><p>before</p><div {_attributes(150_000)}>inside</div><p>after</p></body></html>"
    doc = assert_document(only(write(tmp_path / "attrs.html", page)), tmp_path / "attrs.html")
    assert doc.text == "before\ninside\nafter"
    assert _attribute_count(bound_markup(page), "div") == MAX_ATTRIBUTES  # the first ones stay


def test_tags_within_the_attribute_cap_are_unchanged() -> None:
    attributes = _attributes(MAX_ATTRIBUTES, '="v>"')
    page = f"<html><body><div {attributes}>x</div></body></html>"
    assert bound_markup(page) == page


def test_a_quoted_gt_does_not_hide_the_end_of_a_tag_from_the_cap() -> None:
    # The tokenizer reads `>` inside a quoted value as part of it, so the tag goes on: so must the scan.
    attributes = _attributes(1000, "='v>'")
    page = f"<html><body><div x='>' {attributes}>inside</div></body></html>"
    bounded = bound_markup(page)
    assert _attribute_count(bounded, "div") == MAX_ATTRIBUTES
    assert load_html("q.html", bounded.encode(), LoaderOptions()).text == "inside"  # type: ignore[union-attr]


@pytest.mark.parametrize("marker", ["hidden", "HIDDEN", "aria-hidden=true", "aria-hidden='true'"])
def test_hidden_past_the_attribute_cap_still_hides(marker: str) -> None:
    page = f"<body><div {_attributes(1000)} {marker} a1={marker!r}>secret</div><p>shown</p></body>"
    doc = load_html("h.html", page.encode(), LoaderOptions())
    assert isinstance(doc, LoadedDocument)
    assert doc.text == "shown"


def test_hidden_inside_a_value_past_the_cap_hides_nothing() -> None:
    page = f"<body><div {_attributes(1000)} title='hidden aria-hidden=true'>seen</div></body>"
    doc = load_html("h.html", page.encode(), LoaderOptions())
    assert isinstance(doc, LoadedDocument)
    assert doc.text == "seen"


def test_a_select_with_many_options_loads_every_option(tmp_path: Path) -> None:
    # 100,000 options in one select: Lexbor alone took over a minute.
    options = "".join(f"<option>o{i};</option>" for i in range(100_000))
    page = f"<html><body><p>before</p><select name=s>{options}</select></body></html>"
    doc = assert_document(only(write(tmp_path / "select.html", page)), tmp_path / "select.html")
    assert doc.text.split("\n") == ["before", "".join(f"o{i};" for i in range(100_000))]
    bounded = bound_markup(page)
    assert max(len(part.split("<option>")) - 1 for part in bounded.split("<select")) == MAX_OPTIONS


def test_short_selects_are_unchanged() -> None:
    page = "<body>" + ("<select>" + "<option>x" * MAX_OPTIONS + "</select>") * 3 + "</body>"
    assert bound_markup(page) == page


def test_a_page_with_many_distinct_tag_names_loads_with_its_text(tmp_path: Path) -> None:
    # 150,000 made-up names (3.6 MB): Lexbor alone took about 5 s on this, quadratic.
    names = "".join(f"<t{i}>w{i} </t{i}>" for i in range(150_000))
    page = f"<html><body><p>start</p>{names}<div>end</div><script>code</script></body></html>"
    doc = assert_document(only(write(tmp_path / "tags.html", page)), tmp_path / "tags.html")
    assert doc.text == "start\n" + " ".join(f"w{i}" for i in range(150_000)) + " end"
    bounded = bound_markup(page)
    assert f"<t{MAX_TAG_NAMES - 1}>" in bounded and f"<t{MAX_TAG_NAMES}>" not in bounded
    assert (
        f"</t{MAX_TAG_NAMES}>" not in bounded and "<div>end</div><script>" in bounded
    )  # standard names stay


def test_a_page_with_many_distinct_attribute_names_loads_with_its_text(tmp_path: Path) -> None:
    # 150,000 names, one per tag (2.3 MB): Lexbor alone took about 4 s on this, quadratic.
    tags = "".join(f"<b a{i}>w{i} </b>" for i in range(150_000))
    page = f"<html><body>{tags}<div hidden>gone</div><p id=x>end</p></body></html>"
    doc = assert_document(only(write(tmp_path / "names.html", page)), tmp_path / "names.html")
    assert doc.text == " ".join(f"w{i}" for i in range(150_000)) + " end"  # and the hidden div still hidden
    bounded = bound_markup(page)
    assert f"<b a{MAX_ATTRIBUTE_NAMES - 1}>" in bounded and f"<b>w{MAX_ATTRIBUTE_NAMES} " in bounded
    assert "<div hidden>gone</div><p>end</p>" in bounded  # a new name goes, except the ones the loader reads


# --- the per-file time budget ------------------------------------------------------------------


def _parser_children() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == "turnout-parser"]


def test_a_file_over_the_time_budget_is_rejected_and_the_batch_goes_on(tmp_path: Path) -> None:
    # Parsing 24 MB of nested markup takes Lexbor and the depth cap several seconds, even capped; the
    # budget is a whole second so that the small file after it loads within it on a loaded machine too.
    slow = write(tmp_path / "a_slow.html", "<html><body>" + "<div>x" * 4_000_000)
    good = write(tmp_path / "b_good.html", "<html><body><p>fine</p></body></html>")
    results = load(slow, good, load_timeout_s=1.0, max_document_bytes=30_000_000)
    assert_rejected(results[0], slow, "took longer than 1 s to load")
    assert assert_document(results[1], good).text == "fine"
    assert len(_parser_children()) == 1  # the overrun child was killed and reaped, one fresh one serves


def test_the_budget_stops_pure_python_library_code_too(tmp_path: Path) -> None:
    slow = write(tmp_path / "long.pdf", pdf_bytes([f"Page {i} of a long report" for i in range(1_500)]))
    assert_rejected(only(slow, load_timeout_s=0.05), slow, "took longer than 0.05 s")


def test_within_the_budget_nothing_changes(tmp_path: Path) -> None:
    path = write(tmp_path / "ok.pdf", pdf_bytes(["Quarterly numbers"]))
    assert assert_document(only(path), path).text == "Quarterly numbers"


# --- PDF caps -----------------------------------------------------------------------------------


def test_pdf_with_too_many_pages_is_rejected_before_reading_them(tmp_path: Path) -> None:
    path = write(tmp_path / "many.pdf", pdf_bytes(["p"] * 30))
    assert_rejected(only(path, max_pdf_pages=20), path, "PDF has 30 pages, over the limit of 20")


def test_pdf_whose_text_exceeds_the_document_limit_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "wordy.pdf", pdf_bytes(["x" * 40_000] * 5, compress=True))
    assert_rejected(
        only(path, max_document_bytes=50_000), path, "extracted text is over the limit of 50000 bytes"
    )


# --- DOCX bombs ---------------------------------------------------------------------------------


def _deflate_bomb(expanded_mib: int) -> bytes:
    """A raw deflate stream of `expanded_mib` MiB of zeros, about 1 KB per MiB, built in no time."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    # A full flush ends the segment on a byte boundary with no reference to what came before,
    # so copies of it concatenate into one valid stream; b"\x03\x00" is an empty final block.
    segment = compressor.compress(b"\0" * MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    return segment * expanded_mib + b"\x03\x00"


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive of (name, raw deflate data, claimed uncompressed size, crc), directory included."""
    out, directory = bytearray(), bytearray()
    for name, data, claimed, crc in members:
        encoded = name.encode()
        # version needed, flags, method (8: deflate), time, date, crc, sizes, name length, extra length
        common = (20, 0, 8, 0, 0x21, crc, len(data), claimed, len(encoded), 0)
        directory += struct.pack("<4sH5H3L2H", b"PK\x01\x02", 20, *common)
        directory += struct.pack("<3HLL", 0, 0, 0, 0, len(out)) + encoded  # comment, disk, attrs, offset
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", *common) + encoded + data
    count = len(members)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(out), 0)
    return bytes(out + directory + end)


def _docx_with(tmp_path: Path, bomb_member: tuple[str, bytes, int, int]) -> Path:
    """A real DOCX whose word/document.xml is replaced by the given member."""
    import io
    import zipfile

    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    members = []
    with zipfile.ZipFile(buffer) as archive:
        for info in archive.infolist():
            if info.filename == bomb_member[0]:
                members.append(bomb_member)
                continue
            content = archive.read(info)
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            raw = compressor.compress(content) + compressor.flush()
            members.append((info.filename, raw, len(content), zlib.crc32(content)))
    return write(tmp_path / "bomb.docx", _zip(members))


def _load_in_fresh_process(path: Path) -> tuple[str, int]:
    """Load one DOCX in a new interpreter; its rejection reason and its peak memory in MiB."""
    script = (
        "import json, sys\n"
        "from producer.loaders.base import LoaderOptions\n"
        "from producer.loaders.docx import load_docx\n"
        "result = load_docx(sys.argv[1], open(sys.argv[1], 'rb').read(), LoaderOptions())\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over an exec, so a child of a large pytest
        # process would report the parent's size; VmHWM belongs to this interpreter's own memory map.
        "status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "peak = int(status.split()[0]) // 1024\n"
        "print(json.dumps([getattr(result, 'reason', 'loaded'), peak]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, timeout=120, check=True
    )
    reason, peak_mib = json.loads(done.stdout)
    return reason, peak_mib


def test_docx_whose_directory_understates_a_2_gib_expansion_stops_at_the_claimed_size(tmp_path: Path) -> None:
    path = _docx_with(tmp_path, ("word/document.xml", _deflate_bomb(2048), 1_000, 0))
    reason, peak_mib = _load_in_fresh_process(path)
    assert reason.startswith("corrupt DOCX")  # cut at the size it claimed, then the CRC fails
    assert peak_mib < 300


def test_docx_that_really_expands_to_2_gib_is_refused_at_the_cap(tmp_path: Path) -> None:
    path = _docx_with(tmp_path, ("word/document.xml", _deflate_bomb(2048), 2048 * MIB, 0))
    reason, peak_mib = _load_in_fresh_process(path)
    assert reason == "DOCX expands to over 50000000 bytes (zip bomb?)"
    assert peak_mib < 300


def test_docx_member_with_a_bomb_ratio_is_refused_below_the_total_cap(tmp_path: Path) -> None:
    path = _docx_with(tmp_path, ("word/document.xml", _deflate_bomb(30), 30 * MIB, 0))
    assert_rejected(only(path), path, "'word/document.xml' expands over 100 times its compressed size")


# --- warnings from the parser libraries ---------------------------------------------------------


def test_pypdf_warnings_are_reported_once_per_file_with_its_name(tmp_path: Path) -> None:
    path = write(tmp_path / "no_eof.pdf", pdf_bytes(["Still readable"]).replace(b"%%EOF\n", b"\n" * 2000))
    with capture_logs() as logs:
        results = list(iter_documents([str(path)]))
    assert [r.source for r in results] == [str(path)]
    warned = [e for e in logs if e["event"] == "document_load_warning"]
    assert {"source": str(path), "reason": "EOF marker not found"} in [
        {"source": e["source"], "reason": e["reason"]} for e in warned
    ]


def test_the_cli_prints_parser_warnings_as_lines_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "no_eof.pdf", pdf_bytes(["Still readable"]).replace(b"%%EOF\n", b"\n" * 2000))
    done = subprocess.run(
        [str(Path(sys.executable).parent / "turnout"), "classify", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    warning_lines = [line for line in done.stderr.splitlines() if "EOF marker not found" in line]
    assert len(warning_lines) == 1
    assert "document_load_warning" in warning_lines[0] and str(path) in warning_lines[0]


@pytest.mark.parametrize("value", [0, -1.0])
def test_the_budget_must_be_positive(value: float) -> None:
    with pytest.raises(ValueError, match="load_timeout_s"):
        LoaderOptions(load_timeout_s=value)
