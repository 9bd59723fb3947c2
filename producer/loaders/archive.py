"""Zip archives (DOCX) unpacked with bounds on what they really expand to, not what they claim.

A zip's directory states each member's sizes, and a bomb lies there. ``ZipFile.read`` then inflates a
member in one call allowed to produce up to 2 GiB (and python-docx reads every part that way), so a
file of a few KB took 4 GB of memory. Here every member is read in small chunks and the bytes that
actually come out are counted, against a cap on the total and on each member's expansion ratio, so a
bomb costs at most one chunk past the cap before it is refused.
"""

from __future__ import annotations

import io
import zipfile

#: Bytes inflated per read: the most a bomb can cost past a cap.
CHUNK_BYTES = 64 * 1024
#: How many times its compressed size a member may expand; OWASP's advice for zip bombs, with room
#: for the repetitive XML Office files hold (their text parts compress 5-20 times).
MAX_RATIO = 100
#: Members smaller than this may have any ratio: a tiny, very repetitive part is harmless.
RATIO_FLOOR_BYTES = 1 << 20


class ArchiveTooLarge(ValueError):
    """The archive expands past a cap; the message says which and is fit for a rejection reason."""


def unpack_bounded(data: bytes, max_total_bytes: int, max_ratio: int = MAX_RATIO) -> dict[str, bytes]:
    """Every file member of a zip archive, by name, refusing to inflate more than the caps allow.

    Raises :class:`ArchiveTooLarge` at the first cap crossed, and ``zipfile.BadZipFile`` (or
    ``OSError``, ``ValueError``, ``EOFError``, ``zlib.error``) for a damaged archive. A member longer than its
    directory entry says is cut there by ``zipfile`` and then fails its CRC check.
    """
    members: dict[str, bytes] = {}
    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            chunks: list[bytes] = []
            size = 0
            with archive.open(info) as member:
                while chunk := member.read(CHUNK_BYTES):
                    size += len(chunk)
                    total += len(chunk)
                    if total > max_total_bytes:
                        raise ArchiveTooLarge(f"expands to over {max_total_bytes} bytes (zip bomb?)")
                    if size > RATIO_FLOOR_BYTES and size > max_ratio * max(info.compress_size, 1):
                        raise ArchiveTooLarge(
                            f"member {info.filename[:80]!r} expands over {max_ratio} times its "
                            f"compressed size (zip bomb?)"
                        )
                    chunks.append(chunk)
            members[info.filename] = b"".join(chunks)
    return members


def stored_zip(members: dict[str, bytes]) -> bytes:
    """Members packed again without compression, so whoever reads them next inflates nothing."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()
