"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest

from worker.classifier import Classifier


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    """The classifier with its built-in defaults, built once: it keeps no state between documents."""
    return Classifier()
