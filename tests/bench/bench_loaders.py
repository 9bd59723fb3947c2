"""Benchmark the document loaders on hostile shapes: time per file next to reading the same bytes as text.

A script, not a test:

    .venv/bin/python -m tests.bench.bench_loaders [--sizes-mb 0.5,1,5] [--before]

For each shape and size it prints the seconds the HTML loader takes (parse, drop furniture, extract
text, in this process) and, as the anchor, the seconds to load the same bytes as a plain-text file. Linear
parsing shows as a constant seconds-per-MB down a shape's rows. ``--before`` also times Lexbor alone on
the uncapped markup at small sizes, which is what the loader did before the caps on nesting,
attributes per tag and options per select (quadratic: doubling the size quadruples the time). Then the cost of the parser process per file, and how fast
a zip bomb is refused.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import zipfile
import zlib
from collections.abc import Callable
from functools import partial

from producer.loaders.base import LoaderOptions
from producer.loaders.docx import load_docx
from producer.loaders.html import load_html
from producer.loaders.parser_process import load_parsed, parse
from producer.loaders.text import load_text

OPTIONS = LoaderOptions(max_document_bytes=6_000_000)
MB = 1_000_000


def nested_divs(size: int) -> bytes:
    n = size // 11
    return ("<html><body>" + "<div>x" * n + "</div>" * n + "</body></html>").encode()


def nav_in_deep_divs(size: int) -> bytes:
    depth = size // 20
    navs = "<nav>menu</nav><p>para</p>" * ((size - 11 * depth) // 26)
    return ("<html><body>" + "<div>" * depth + navs + "</div>" * depth + "</body></html>").encode()


def ordinary_page(size: int) -> bytes:
    row = "<div class='post'><h2>Title</h2><p>Some <b>bold</b> paragraph text, <a href='#'>a link</a>.</p></div>\n"
    return ("<html><head><title>t</title></head><body><nav>menu</nav>" + row * (size // len(row))).encode()


def many_attributes(size: int) -> bytes:
    """One tag with as many distinct attribute names as fit (Lexbor compares each with all before it)."""
    names = " ".join(f"a{i}" for i in range(size // 8))
    return f"<html><body><div {names}>text</div></body></html>".encode()


def long_select(size: int) -> bytes:
    """One select with as many options as fit (Lexbor walks the options before each new one)."""
    options = "".join(f"<option>o{i}</option>" for i in range(size // 22))
    return f"<html><body><select>{options}</select></body></html>".encode()


def distinct_attribute_names(size: int) -> bytes:
    """One new attribute name per tag (Lexbor's name table is quadratic in the names of a page)."""
    return ("<html><body>" + "".join(f"<b a{i}>x</b>" for i in range(size // 16))).encode()


def distinct_tag_names(size: int) -> bytes:
    return ("<html><body>" + "".join(f"<t{i}>x</t{i}>" for i in range(size // 16))).encode()


def entities(size: int) -> bytes:
    return ("<html><body>" + "&amp;&lt;&notin;&#x41;" * (size // 22)).encode()


def long_attribute_value(size: int) -> bytes:
    return ("<html><body><div title='" + "x" * size + "'>text</div>").encode()


def foster_parented(size: int) -> bytes:
    return ("<html><body><table>" + "<div>x</div>" * (size // 12) + "</table>").encode()


SHAPES: dict[str, Callable[[int], bytes]] = {
    "nested divs": nested_divs,
    "nav inside deep divs": nav_in_deep_divs,
    "many attributes": many_attributes,
    "long select": long_select,
    "distinct tag names": distinct_tag_names,
    "distinct attr names": distinct_attribute_names,
    "entities": entities,
    "long attribute value": long_attribute_value,
    "foster-parented": foster_parented,
    "ordinary page": ordinary_page,
}
#: The shapes Lexbor parses in quadratic time, which the loader's pre-pass bounds.
QUADRATIC_SHAPES = (
    "nested divs",
    "nav inside deep divs",
    "many attributes",
    "long select",
    "distinct tag names",
    "distinct attr names",
)


def cpu_seconds(run: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def html_table(sizes_mb: list[float]) -> None:
    print(f"{'shape':22s} {'MB':>5s} {'html s':>8s} {'as text s':>10s} {'html s/MB':>10s}")
    for name, make in SHAPES.items():
        for size_mb in sizes_mb:
            data = make(int(size_mb * MB))
            html_s = cpu_seconds(partial(load_html, "bench.html", data, OPTIONS), repeat=1)
            text_s = cpu_seconds(partial(load_text, "bench.txt", data, "txt", OPTIONS))
            mb = len(data) / MB
            print(f"{name:22s} {mb:5.2f} {html_s:8.3f} {text_s:10.4f} {html_s / mb:10.3f}")


def before_table() -> None:
    from selectolax.lexbor import LexborHTMLParser

    print("\nbefore the cap: Lexbor alone on the uncapped markup (what the loader used to parse)")
    print(f"{'shape':22s} {'MB':>5s} {'lexbor s':>9s} {'capped loader s':>16s}")
    for name in QUADRATIC_SHAPES:
        for size in (60_000, 120_000, 240_000, 480_000):
            data = SHAPES[name](size)
            markup = data.decode()
            raw_s = cpu_seconds(partial(LexborHTMLParser, markup), repeat=1)
            capped_s = cpu_seconds(partial(load_html, "bench.html", data, OPTIONS), repeat=1)
            print(f"{name:22s} {len(data) / MB:5.2f} {raw_s:9.3f} {capped_s:16.4f}")


def parser_process_overhead(files: int = 300) -> None:
    data = ordinary_page(4_000)
    load_parsed("warm.html", "html", data, OPTIONS)  # start the child outside the measurement
    in_process, through_child = [], []
    for _ in range(files):
        started = time.perf_counter()
        parse("bench.html", "html", data, OPTIONS)
        in_process.append(time.perf_counter() - started)
        started = time.perf_counter()
        load_parsed("bench.html", "html", data, OPTIONS)
        through_child.append(time.perf_counter() - started)
    inside, child = statistics.median(in_process) * 1000, statistics.median(through_child) * 1000
    print(f"\nparser process, {len(data)} B HTML file, median of {files} (wall):")
    print(
        f"  in this process {inside:.2f} ms, through the child {child:.2f} ms (+{child - inside:.2f} ms per file)"
    )
    big = ordinary_page(5 * MB)
    started = time.perf_counter()
    parse("big.html", "html", big, OPTIONS)
    inside_big = time.perf_counter() - started
    started = time.perf_counter()
    load_parsed("big.html", "html", big, OPTIONS)
    child_big = time.perf_counter() - started
    print(f"5 MB HTML file: in this process {inside_big:.3f} s, through the child {child_big:.3f} s")


def docx_bomb_refusal(expanded_mib: int = 2048) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = compressor.compress(b"\0" * (1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    # zipfile will not write a member it did not compress, so take a stored member and patch it into
    # a deflated one: same bytes, method 8, the true expanded size in its headers.
    raw = segment * expanded_mib + b"\x03\x00"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", raw)
    data = bytearray(buffer.getvalue())
    size_field = (expanded_mib << 20).to_bytes(4, "little")
    data[8:10] = (8).to_bytes(2, "little")  # local header: method
    data[22:26] = size_field
    central = data.rindex(b"PK\x01\x02")
    data[central + 10 : central + 12] = (8).to_bytes(2, "little")
    data[central + 24 : central + 28] = size_field
    started = time.process_time()
    result = load_docx("bomb.docx", bytes(data), LoaderOptions())
    seconds = time.process_time() - started
    print(
        f"\nDOCX of {len(data) / MB:.1f} MB expanding to {expanded_mib} MiB: refused in {seconds:.3f} s CPU"
    )
    print(f"  {getattr(result, 'reason', 'NOT REFUSED')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes-mb", default="0.5,1,5", help="comma-separated HTML sizes in MB")
    parser.add_argument("--before", action="store_true", help="also time the uncapped parse (quadratic)")
    args = parser.parse_args()
    html_table([float(s) for s in args.sizes_mb.split(",")])
    if args.before:
        before_table()
    parser_process_overhead()
    docx_bomb_refusal()


if __name__ == "__main__":
    main()
