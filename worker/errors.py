"""Turnout's error tree: one root; backend errors say whether a retry can help and when."""

from __future__ import annotations


class TurnoutError(Exception):
    """Root of every error Turnout raises on purpose."""


class ConfigError(TurnoutError):
    """A config file or setting is invalid; the message names the file and key."""


class SettingsError(ConfigError):
    """A setting is missing, misspelt or invalid; the message names it."""


class UnknownModelError(ConfigError):
    """A model is missing from the price table: an error, never a silent $0."""


class InvalidOutput(TurnoutError):
    """The model's answer still did not validate after the allowed repairs (message: no document text)."""


class BackendError(TurnoutError):
    """A backend call failed. `kind` is a short machine-readable tag for results and metrics."""

    retryable = False

    def __init__(self, message: str, *, kind: str = "backend_error", status_code: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.status_code = status_code


class RetryableBackendError(BackendError):
    """Worth trying again: rate limited, busy, timed out, 5xx. Carries the server's hint when it gave one."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        kind: str = "retryable",
        status_code: int | None = None,
        retry_after_s: float | None = None,
    ):
        super().__init__(message, kind=kind, status_code=status_code)
        self.retry_after_s = retry_after_s


class PermanentBackendError(BackendError):
    """Retrying cannot help: bad request, auth, unknown model, context too long, no quota."""


class SensitiveDataBlocked(PermanentBackendError):
    """The cloud backend refused a job whose sensitivity forbids it from leaving (defence in depth)."""

    def __init__(self, message: str):
        super().__init__(message, kind="sensitive_blocked")


class NoBackendAvailable(RetryableBackendError):
    """No backend of the route can take the job right now (all hosts down or cooling down)."""


class JoinPending(TurnoutError):
    """The job waits for an identical job in flight (worker/joining.py): look again in `wait_s` seconds."""

    def __init__(self, wait_s: float):
        super().__init__(f"waiting for an identical job in flight; next look in {wait_s:.1f}s")
        self.wait_s = wait_s
