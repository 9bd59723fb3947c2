"""Settings come from the environment, and a wrong one is an error that names it."""

from __future__ import annotations

import pytest

from worker.settings import Settings, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("TURNOUT_") or key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST"):
            monkeypatch.delenv(key)


def test_misspelt_setting_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TURNOUT_OLAMA_HOSTS", "http://gpu1:11434")
    with pytest.raises(SettingsError, match="TURNOUT_OLAMA_HOSTS"):
        load_settings()


def test_misspelt_setting_suggests_the_valid_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TURNOUT_BROKER_ULR", "redis://localhost:6379/0")
    monkeypatch.setenv("TURNOUT_NOTHING_LIKE_IT", "1")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert "TURNOUT_BROKER_ULR (did you mean TURNOUT_BROKER_URL?)" in message
    assert "TURNOUT_NOTHING_LIKE_IT (did you mean" not in message  # nothing close: no guess


@pytest.mark.parametrize("url", ["localhost:26379", "127.0.0.1:6379/0", "http://localhost:6379"])
def test_broker_url_without_a_redis_scheme_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("TURNOUT_BROKER_URL", url)
    with pytest.raises(SettingsError, match=r"broker_url: .*is not a Redis URL: it must start with redis://"):
        load_settings()


def test_broker_url_error_never_shows_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TURNOUT_BROKER_URL", ":s3cret-pass@localhost:6379")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert "s3cret" not in str(raised.value)


def test_invalid_value_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TURNOUT_MAX_ATTEMPTS", "zero")
    with pytest.raises(SettingsError, match="max_attempts"):
        load_settings()


def test_ollama_hosts_are_split_and_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TURNOUT_OLLAMA_HOSTS", "gpu1:11434, http://gpu2:11434/")
    settings = load_settings()
    assert settings.ollama_hosts == ("http://gpu1:11434", "http://gpu2:11434")
    assert settings.local_slot_count == 2 * settings.ollama_parallel


def test_openai_compatible_local_hosts_join_the_local_route_with_their_own_slots(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TURNOUT_OLLAMA_HOSTS", "gpu1:11434")
    monkeypatch.setenv("TURNOUT_LOCAL_OPENAI_HOSTS", "http://gpu2:8000/v1/, gpu3:8080/v1")
    monkeypatch.setenv("TURNOUT_LOCAL_OPENAI_PARALLEL", "32")
    settings = load_settings()
    assert settings.local_openai_hosts == ("http://gpu2:8000/v1", "http://gpu3:8080/v1")
    assert settings.local_hosts == ("http://gpu1:11434", "http://gpu2:8000/v1", "http://gpu3:8080/v1")
    assert settings.local_slots == {
        "http://gpu1:11434": 4,
        "http://gpu2:8000/v1": 32,
        "http://gpu3:8080/v1": 32,
    }
    assert settings.local_slot_count == 4 + 32 + 32
    assert settings.local_concurrency == 68 + 17  # a thread per slot of every host, a quarter more
    assert settings.local_configured
    env = settings.worker_environment()  # what the worker processes are started with
    assert env["TURNOUT_LOCAL_OPENAI_HOSTS"] == "http://gpu2:8000/v1,http://gpu3:8080/v1"
    assert env["TURNOUT_LOCAL_OPENAI_PARALLEL"] == "32"


@pytest.mark.parametrize(("hosts", "parallel", "threads"), [(1, 1, 3), (1, 4, 6), (3, 4, 15), (1, 32, 40)])
def test_the_local_pool_has_spare_threads_beyond_the_slots(hosts: int, parallel: int, threads: int) -> None:
    """A spare thread has its next job opened and waits on the slots: at least 2, a quarter of the slots."""
    urls = tuple(f"http://gpu{i}:11434" for i in range(hosts))
    settings = Settings(ollama_hosts=urls, ollama_parallel=parallel)
    assert settings.local_slot_count == hosts * parallel
    assert settings.local_concurrency == threads


def test_a_host_listed_as_both_kinds_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TURNOUT_OLLAMA_HOSTS", "http://gpu2:8000")
    monkeypatch.setenv("TURNOUT_LOCAL_OPENAI_HOSTS", "http://gpu2:8000")
    with pytest.raises(SettingsError, match="both Ollama and OpenAI-compatible: http://gpu2:8000"):
        load_settings()


def test_standard_ollama_host_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:11434")
    assert load_settings().ollama_hosts == ("http://127.0.0.1:11434",)


def test_nothing_configured_means_neither_route_is_configured() -> None:
    settings = load_settings()
    assert not settings.local_configured and not settings.cloud_configured
    assert settings.broker_url is None


def test_worker_environment_round_trips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TURNOUT_OLLAMA_HOSTS", "http://a:1,http://b:2")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-abc")
    monkeypatch.setenv("TURNOUT_CLOUD_CONCURRENCY", "3")
    original = load_settings()
    for key, value in original.worker_environment().items():
        monkeypatch.setenv(key, value)
    assert load_settings() == original
