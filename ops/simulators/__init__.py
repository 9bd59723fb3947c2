"""Protocol-faithful Ollama and OpenAI servers on real sockets, for tests, dry runs and capacity planning."""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

from ops.simulators.common import BaseSimulator, SimConfig
from ops.simulators.ollama_sim import OllamaSimulator
from ops.simulators.openai_sim import OpenAISimulator

SIMULATORS: dict[str, type[BaseSimulator]] = {"ollama": OllamaSimulator, "openai": OpenAISimulator}

__all__ = ["SIMULATORS", "OllamaSimulator", "OpenAISimulator", "SimConfig", "serve_forever"]


def serve_forever(kind: str, host: str, port: int, config: SimConfig) -> None:
    """Serve one simulator until SIGTERM or SIGINT; prints a single line once it listens."""
    if kind not in SIMULATORS:
        raise ValueError(f"unknown simulator {kind!r}; expected one of {sorted(SIMULATORS)}")
    done = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        done.set()

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, on_signal)
    sim = SIMULATORS[kind](host=host, port=port, config=config)
    try:
        sim.start()
        print(f"turnout sim {kind} listening on {sim.url}", flush=True)
        while not done.wait(0.5):
            pass
    finally:
        sim.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sys.stdout.flush()
