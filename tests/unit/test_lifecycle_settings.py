"""The storage policy's settings and the back-pressure window a submission gets."""

from __future__ import annotations

import pytest

from producer.submit import submission_window
from worker.schema import TaskKind, TaskSpec
from worker.settings import Settings, SettingsError, load_settings
from worker.store.lifecycle import Retention

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)


def test_the_shipped_policy_keeps_records_a_week_and_no_text_after_its_last_job() -> None:
    retention = Retention.of(Settings())
    assert retention.retention_ms == 7 * 86_400 * 1000
    assert retention.document_keep_ms == 0


def test_a_text_may_not_outlive_its_records(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TURNOUT_RETENTION_S", "3600")
    monkeypatch.setenv("TURNOUT_DOCUMENT_KEEP_S", "7200")
    with pytest.raises(SettingsError, match="document_keep_s must not exceed retention_s"):
        load_settings()


def test_a_submission_streams_through_the_window_unless_it_may_wait_for_the_batch_api() -> None:
    settings = Settings(max_in_flight_jobs=1234)
    assert submission_window(settings, SUMMARIZE, None) == 1234
    assert submission_window(settings, SUMMARIZE, 3600.0) == 1234  # real-time: the window holds
    # --deadline 24h lets cloud-bound jobs wait hours for a provider batch: a window would stall the rest
    assert submission_window(settings, SUMMARIZE, 86_400.0) is None
