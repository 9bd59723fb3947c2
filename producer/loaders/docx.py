"""Word (.docx) files: paragraphs and table cells in document order, through python-docx.

python-docx is imported only when a .docx file is loaded.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Any

from producer.loaders.archive import ArchiveTooLarge, stored_zip, unpack_bounded
from producer.loaders.base import (
    LoadedDocument,
    LoaderOptions,
    Rejection,
    over_limit_reason,
    short_error,
    text_document,
)

# Encrypted Office files and legacy .doc files are OLE compound files, not zip archives.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: What a .docx may expand to, in multiples of the document limit: its XML is 5-10 times the text
#: it holds, and a file whose text is over the limit is rejected anyway.
EXPANSION_LIMIT = 10


def load_docx(source: str, data: bytes, options: LoaderOptions) -> LoadedDocument | Rejection:
    """Turn a .docx file's bytes into one document: paragraphs one per line, table rows tab-separated."""
    if data.startswith(_OLE_MAGIC):
        return Rejection(source, "encrypted DOCX or legacy .doc file (not a .docx archive)")
    try:
        members = unpack_bounded(data, EXPANSION_LIMIT * options.max_document_bytes)
    except ArchiveTooLarge as exc:
        return Rejection(source, f"DOCX {exc}")
    # RuntimeError: an encrypted member, or a compression method zipfile lacks (NotImplementedError).
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error) as exc:
        return Rejection(source, f"corrupt DOCX: {short_error(exc)}")
    # python-docx reads the parts we checked, stored: it has nothing left to inflate.
    package = io.BytesIO(stored_zip(members))
    del members

    import docx
    from docx.text.paragraph import Paragraph

    # A damaged archive can fail anywhere inside python-docx and lxml (KeyError for a missing
    # part, XMLSyntaxError, ValueError for a wrong content type...): one rejection, caught here only.
    try:
        document = docx.Document(package)
        lines: list[str] = []
        paragraphs = 0
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                if block.text.strip():
                    paragraphs += 1
                    lines.append(block.text)
            else:
                lines.extend(_table_lines(block))
    except Exception as exc:  # noqa: BLE001 -- see the comment above
        return Rejection(source, f"corrupt DOCX: {short_error(exc)}")
    text = "\n".join(lines)
    size_bytes = len(text.encode("utf-8"))
    if size_bytes > options.max_document_bytes:
        return Rejection(source, over_limit_reason(size_bytes, options.max_document_bytes))
    return text_document(source, text, "docx", extra={"paragraphs": paragraphs})


def _table_lines(table: Any) -> list[str]:
    """One line per table row, cells separated by tabs; nested tables follow their row."""
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        nested: list[str] = []
        seen: list[Any] = []
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans.
            if any(cell._tc is tc for tc in seen):
                continue
            seen.append(cell._tc)
            cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
            for inner in cell.tables:
                nested.extend(_table_lines(inner))
        if any(cells):
            lines.append("\t".join(cells))
        lines.extend(nested)
    return lines
