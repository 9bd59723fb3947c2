"""PDF files: the text layer, page by page, through pypdf (imported only when a PDF is loaded)."""

from __future__ import annotations

import io

from producer.loaders.base import LoadedDocument, LoaderOptions, Rejection, short_error, text_document

NO_TEXT_REASON = "no extractable text (scanned or image-only PDF?)"


def load_pdf(source: str, data: bytes, options: LoaderOptions) -> LoadedDocument | Rejection:
    """Turn a PDF's bytes into one document, pages separated by a blank line."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    if b"%PDF-" not in data[:1024]:  # where the PDF specification allows the header to be
        return Rejection(source, "corrupt PDF: no PDF header")
    # pypdf raises many exception types on damaged input (its own, ValueError, KeyError,
    # zlib/struct errors...). A damaged file is one rejection, never the end of the batch,
    # so every failure inside the parser is caught here and nowhere else.
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                return Rejection(source, "encrypted PDF (cannot open: the cryptography package is missing)")
            if opened == PasswordType.NOT_DECRYPTED:
                return Rejection(source, "encrypted PDF (needs a password)")
        pages = len(reader.pages)
        if pages > options.max_pdf_pages:
            return Rejection(source, f"PDF has {pages} pages, over the limit of {options.max_pdf_pages}")
        page_texts: list[str] = []
        size_bytes = 0
        for page in reader.pages:
            page_text = (page.extract_text() or "").strip()
            # Stop at the limit: a few KB of Flate streams can hold megabytes of text.
            size_bytes += len(page_text.encode("utf-8")) + 2
            if size_bytes > options.max_document_bytes + 2:
                return Rejection(
                    source, f"extracted text is over the limit of {options.max_document_bytes} bytes"
                )
            page_texts.append(page_text)
    except FileNotDecryptedError:
        return Rejection(source, "encrypted PDF (needs a password)")
    except Exception as exc:  # noqa: BLE001 -- see the comment above
        return Rejection(source, f"corrupt PDF: {short_error(exc)}")
    text = "\n\n".join(t for t in page_texts if t)
    if not text.strip():
        return Rejection(source, NO_TEXT_REASON)
    return text_document(source, text, "pdf", extra={"pages": pages})
