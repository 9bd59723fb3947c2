"""Know what each local host is before sending it work: one check per host at start.

An Ollama host must answer `/api/version` and list the local model in `/api/tags`; an OpenAI-compatible
host (vLLM, llama.cpp, SGLang, TGI) must list the model in `/v1/models`. What is wrong comes back as one
line per host saying which host, what was found there, and what to set: a server of the other kind, a
base URL without `/v1`, a missing model (with what the host does serve), a refused key, or no answer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import httpx

from worker.settings import Settings

PROBE_TIMEOUT_S = 5.0
_SHOWN_MODELS = 8


class Problem(enum.StrEnum):
    UNREACHABLE = "unreachable"  # may come up later: jobs wait for it, other hosts serve meanwhile
    WRONG_KIND = "wrong_kind"
    WRONG_URL = "wrong_url"
    MISSING_MODEL = "missing_model"
    AUTH = "auth"

    @property
    def fatal(self) -> bool:
        """The wrong server or URL: no job sent there can succeed. (A missing model is reported but not
        fatal: a server may load a model it does not list, and each job that fails says why.)"""
        return self in (Problem.WRONG_KIND, Problem.WRONG_URL, Problem.AUTH)


@dataclass(frozen=True)
class HostProblem:
    host: str
    problem: Problem
    line: str  # one line: the host, what was found, what to set


def check_local_hosts(
    settings: Settings, model: str, timeout_s: float = PROBE_TIMEOUT_S
) -> list[HostProblem]:
    """What is wrong with each local host for serving `model` (empty: all good)."""
    key = settings.local_openai_api_key.get_secret_value() if settings.local_openai_api_key else None
    problems: list[HostProblem] = []
    with httpx.Client(timeout=timeout_s, follow_redirects=True) as http:
        for url in settings.ollama_hosts:
            problems += _problems(url, _check_ollama(http, url, model))
        for url in settings.local_openai_hosts:
            problems += _problems(url, _check_openai(http, url, model, key))
    return problems


def _problems(url: str, found: tuple[Problem, str] | None) -> list[HostProblem]:
    return [] if found is None else [HostProblem(url, found[0], f"local host {url}: {found[1]}")]


def _check_ollama(http: httpx.Client, url: str, model: str) -> tuple[Problem, str] | None:
    version = _get(http, f"{url}/api/version")
    if isinstance(version, str):
        return (
            Problem.UNREACHABLE,
            f"no answer ({version}); TURNOUT_OLLAMA_HOSTS lists it as an Ollama server",
        )
    if version.status_code != 200 or "version" not in _json(version):
        for models_url in (f"{url}/v1/models", f"{url}/models"):
            listed = _get(http, models_url)
            if not isinstance(listed, str) and listed.status_code in (200, 401) and _looks_openai(listed):
                base = models_url.removesuffix("/models")
                return Problem.WRONG_KIND, (
                    f"is an OpenAI-compatible server, not Ollama (/api/version answered "
                    f"{version.status_code}); move it to TURNOUT_LOCAL_OPENAI_HOSTS={base}"
                )
        return Problem.WRONG_KIND, (
            f"/api/version answered {version.status_code}, so it is not an Ollama server; "
            "check the URL in TURNOUT_OLLAMA_HOSTS"
        )
    tags = _get(http, f"{url}/api/tags")
    if isinstance(tags, str) or tags.status_code != 200:
        return None  # an old or restricted server: the first call will say more
    names = [
        str(m.get("name") or m.get("model")) for m in _json(tags).get("models", []) if isinstance(m, dict)
    ]
    if model in names or f"{model}:latest" in names:
        return None
    return Problem.MISSING_MODEL, (
        f"Ollama {_json(version).get('version')} has not pulled {model!r} (it has: {_list(names)}); "
        f"run `ollama pull {model}` there, or set models.local in configs/routing.yaml"
    )


def _check_openai(http: httpx.Client, url: str, model: str, key: str | None) -> tuple[Problem, str] | None:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    listed = _get(http, f"{url}/models", headers)
    if isinstance(listed, str):
        return Problem.UNREACHABLE, f"no answer ({listed}); TURNOUT_LOCAL_OPENAI_HOSTS lists it"
    if listed.status_code in (401, 403):
        return Problem.AUTH, (
            f"/models answered {listed.status_code}: the server wants a key; set TURNOUT_LOCAL_OPENAI_API_KEY"
        )
    if listed.status_code != 200 or not _looks_openai(listed):
        ollama = _get(http, f"{url.removesuffix('/v1')}/api/version")
        if not isinstance(ollama, str) and ollama.status_code == 200 and "version" in _json(ollama):
            return Problem.WRONG_KIND, (
                f"is an Ollama server, not an OpenAI-compatible one; move it to "
                f"TURNOUT_OLLAMA_HOSTS={url.removesuffix('/v1')}"
            )
        if not url.endswith("/v1"):
            deeper = _get(http, f"{url}/v1/models", headers)
            if not isinstance(deeper, str) and deeper.status_code == 200 and _looks_openai(deeper):
                return Problem.WRONG_URL, f"the API is under /v1; set TURNOUT_LOCAL_OPENAI_HOSTS={url}/v1"
        return Problem.WRONG_KIND, (
            f"/models answered {listed.status_code}, so it is not an OpenAI-compatible server at this base URL; "
            "check TURNOUT_LOCAL_OPENAI_HOSTS (a base URL such as http://gpu2:8000/v1)"
        )
    served = [str(m.get("id")) for m in _json(listed).get("data", []) if isinstance(m, dict)]
    if model in served:
        return None
    return Problem.MISSING_MODEL, (
        f"serves {_list(served)}, not {model!r}; serve it under that name (vLLM --served-model-name, "
        "llama.cpp --alias / --model_alias) or set models.local in configs/routing.yaml"
    )


def _get(http: httpx.Client, url: str, headers: dict[str, str] | None = None) -> httpx.Response | str:
    """The response, or a short reason why there was none."""
    try:
        return http.get(url, headers=headers)
    except httpx.HTTPError as exc:
        return type(exc).__name__


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _looks_openai(response: httpx.Response) -> bool:
    """An OpenAI models list (`{"object": "list", "data": [...]}`), or the error such a server answers."""
    data = _json(response)
    return isinstance(data.get("data"), list) or (response.status_code == 401 and "error" in data)


def _list(names: list[str]) -> str:
    if not names:
        return "none"
    shown = ", ".join(repr(n) for n in names[:_SHOWN_MODELS])
    return shown + (f" and {len(names) - _SHOWN_MODELS} more" if len(names) > _SHOWN_MODELS else "")
