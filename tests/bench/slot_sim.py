"""One simulated Ollama host for the slot benchmark, in a process of its own: a fixed latency per call,
K parallel slots (a request above K is refused with Ollama's 503), and counts of what it saw.

    python -m tests.bench.slot_sim --latency-ms 250 --max-parallel 4     # prints "port N" once listening

It is ops/simulators' OllamaSimulator unchanged on the request path (the same HTTP server, answers and
timing: no jitter is added; the latency is an Event.wait), plus three counters: calls answered, 503s
sent, and the most requests it held at once. `GET /_bench/stats` reads them, `POST /_bench/stats` reads
and resets them. Request bodies are not kept (the base class keeps every one for tests; thousands of
4.5 KB documents would only grow this process). Its own process, so its CPU is measured apart from the
client's and the workers', and neither side's threads compete with it for one interpreter lock.
"""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from ops.simulators import OllamaSimulator, SimConfig
from ops.simulators.answers import GenRequest
from ops.simulators.http import Handler

STATS_PATH = "/_bench/stats"


class CountingOllama(OllamaSimulator):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stats = {"calls": 0, "refused_503": 0, "peak_in_flight": 0}

    def record(self, body: dict[str, Any]) -> None:
        pass  # see the module's docstring: no bodies kept

    def generate(self, h: Handler, req: GenRequest) -> None:
        super().generate(h, req)
        with self._lock:
            self.answered.clear()  # kept by the base class for tests; nothing here reads it

    def _generate(self, h: Handler, req: GenRequest, config: SimConfig) -> None:
        # Called with this request already counted in flight (BaseSimulator.generate).
        with self._lock:
            self._stats["peak_in_flight"] = max(self._stats["peak_in_flight"], self._in_flight)
            self._stats["calls"] += 1
        super()._generate(h, req, config)

    def reply_error(self, h: Handler, kind: str, req: GenRequest) -> None:
        if kind in ("busy", "503"):
            with self._lock:
                self._stats["refused_503"] += 1
        super().reply_error(h, kind, req)

    def handle(self, h: Handler, path: str) -> None:
        if path != STATS_PATH:
            super().handle(h, path)
            return
        with self._lock:
            stats = dict(self._stats)
            if h.command == "POST":
                self._stats = dict.fromkeys(stats, 0)
        h.send_json(200, stats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, required=True)
    parser.add_argument("--max-parallel", type=int, required=True)
    args = parser.parse_args()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: done.set())
    config = SimConfig(latency_ms=args.latency_ms, max_parallel=args.max_parallel)
    sim = CountingOllama(config=config).start()
    print(f"port {sim.port}", flush=True)
    try:
        while not done.wait(0.5):
            pass
    finally:
        sim.stop()


if __name__ == "__main__":
    main()
