"""The sensitivity a document is at least, before the classifier looks at it: the `--sensitivity` floor
or the document's own label, whichever is higher (submission, calibration and estimates all use it)."""

from __future__ import annotations

from producer.loaders import LoadedDocument
from worker.schema import Sensitivity


def document_floor(document: LoadedDocument, floor: Sensitivity | None) -> Sensitivity | None:
    """The level a document is at least: the higher of the --sensitivity floor and its own label, if any."""
    label = document.metadata.get("sensitivity")
    if label is None:
        return floor
    return Sensitivity.max(floor, Sensitivity(str(label)))
