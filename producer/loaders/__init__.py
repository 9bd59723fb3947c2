"""Document loaders: turn the user's paths into documents, or rejections that say why not.

Bad input never stops a batch: each unreadable file, bad record or unsupported type is one
:class:`Rejection` and loading goes on. Nothing here logs or prints document text.
"""

from producer.loaders.base import LoadedDocument, LoaderOptions, Rejection
from producer.loaders.walk import iter_documents

__all__ = ["LoadedDocument", "LoaderOptions", "Rejection", "iter_documents"]
