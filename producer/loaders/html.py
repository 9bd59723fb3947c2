"""HTML files: the visible text of the page and its title, through selectolax (Lexbor).

selectolax is imported only when an HTML file is loaded. It was chosen over BeautifulSoup
because it parses with a C implementation of the HTML5 algorithm (the same tree a browser
builds, an order of magnitude faster than bs4 on large pages), is one wheel with no
dependencies, and leaves no choice of backend parser that could change the output.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from producer.loaders.base import (
    DecodeError,
    LoadedDocument,
    LoaderOptions,
    Rejection,
    decode_utf8,
    text_document,
)
from producer.loaders.html_depth import DROPPED_ELEMENTS, bound_markup

# Never visible, or page furniture rather than content.
_DROPPED = ", ".join(DROPPED_ELEMENTS) + ", [hidden], [aria-hidden=true]"
# Elements that start a new line when a browser renders them.
_BLOCKS = (
    "address, article, aside, blockquote, br, caption, dd, details, dialog, div, dl, dt, fieldset, "
    "figcaption, figure, form, h1, h2, h3, h4, h5, h6, hr, li, main, ol, p, pre, section, summary, "
    "table, tr, ul"
)
_CELLS = "td, th"

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode
_SPACES = re.compile(r"[^\S\n]+")


def load_html(source: str, data: bytes, options: LoaderOptions) -> LoadedDocument | Rejection:
    """Turn an HTML file's bytes into one document: the title, a blank line, then the visible text."""
    try:
        markup, replaced = decode_utf8(data, options.invalid_utf8)
    except DecodeError as exc:
        return Rejection(source, str(exc))

    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(bound_markup(markup))
    title_node = tree.css_first("title")
    title = " ".join(title_node.text().split()) if title_node is not None else ""
    body_text = ""
    sections = 0
    if tree.body is not None:
        _drop(tree.body.css(_DROPPED))
        sections = len(tree.body.css("h1, h2, h3, h4, h5, h6"))
        for node in tree.body.css(_BLOCKS):
            node.insert_after("\n")
        for node in tree.body.css(_CELLS):
            node.insert_after("\t")
        body_text = _tidy(tree.body.text(deep=True))

    extra: dict[str, str | int] = {"title": title} if title else {}
    extra["sections"] = sections  # headings of the visible page
    text = f"{title}\n\n{body_text}" if title and body_text else title or body_text
    return text_document(source, text, "html", replaced, extra)


def _drop(nodes: list[LexborNode]) -> None:
    """Remove the given nodes (in document order, as ``css`` returns them) with their content.

    Last first: a node inside another comes after it in document order, so it is freed before its
    ancestor and no node is touched after it was freed, without walking any node's ancestors
    (which cost O(depth) per node: quadratic for a deep page full of ``<nav>``).
    """
    for node in reversed(nodes):
        node.decompose()


def _tidy(text: str) -> str:
    """Collapse runs of spaces within lines and drop empty lines, as a reader would see the page."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
