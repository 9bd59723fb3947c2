"""The parts bench_slots.py drives: simulated hosts in their own processes, the plain client (the limit),
Turnout's worker pools, documents, and CPU read from /proc. Public entry points only: submit_batch, the
store's reads, Celery's control API and `turnout worker`, so the benchmark survives plumbing changes."""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import ollama

from producer.loaders import LoadedDocument
from producer.local_stack import WorkerProcess, wait_for_workers
from tests.bench.procstat import cpu_s
from tests.bench.slot_sim import STATS_PATH
from tests.eval.prose import document
from worker.runtime import Policies
from worker.schema import TaskKind, TaskSpec
from worker.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
TASK = TaskSpec(kind=TaskKind.SUMMARIZE)
DOCUMENT_CHARS = 4500


@dataclass(frozen=True)
class Cell:
    latency_ms: int
    hosts: int
    slots: int  # K, per host

    @property
    def concurrency(self) -> int:
        return self.hosts * self.slots

    @property
    def ideal_jobs_s(self) -> float:
        return self.concurrency * 1000 / self.latency_ms

    @property
    def label(self) -> str:
        latency = f"{self.latency_ms} ms" if self.latency_ms < 1000 else f"{self.latency_ms / 1000:g} s"
        return f"{latency} x {self.hosts} host{'s' * (self.hosts > 1)} x {self.slots} slots"

    @classmethod
    def parse(cls, text: str) -> Cell:
        """`LATENCY_MS:HOSTS:K`, e.g. `250:3:32`."""
        latency, hosts, slots = (int(part) for part in text.split(":"))
        return cls(latency, hosts, slots)


def jobs_for(cell: Cell, waves: int, min_seconds: float) -> int:
    """Enough jobs that filling and draining the slots (one latency each, at most) is a small share of
    the run: every slot serves at least `waves` calls, and the run lasts at least `min_seconds` at the
    ideal rate; a whole number of waves, so a perfect client ends with every slot busy to the last."""
    jobs = max(waves * cell.concurrency, int(cell.ideal_jobs_s * min_seconds))
    return -(-jobs // cell.concurrency) * cell.concurrency


def documents(n: int, seed: int = 20261205) -> list[LoadedDocument]:
    """`n` distinct documents of ~4.5 KB of business prose with look-alikes (tests/eval/prose.py, the
    classifier's evaluation corpus): the classifier does on them the work it does on real text."""
    rng = random.Random(seed)
    return [
        LoadedDocument(source=f"memo-{i:05d}.txt", text="\n\n".join(document(rng, DOCUMENT_CHARS)))
        for i in range(n)
    ]


# ------------------------------------------------------------------------------------ simulated hosts


class Hosts:
    """`cell.hosts` simulated Ollama hosts (tests/bench/slot_sim.py), one process each."""

    def __init__(self, cell: Cell):
        self.procs: list[subprocess.Popen[str]] = []
        self.urls: list[str] = []
        try:
            for _ in range(cell.hosts):
                command = [sys.executable, "-m", "tests.bench.slot_sim"]
                command += ["--latency-ms", str(cell.latency_ms), "--max-parallel", str(cell.slots)]
                proc = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
                self.procs.append(proc)
                assert proc.stdout is not None
                line = proc.stdout.readline()  # "port N" once it listens
                if not line.startswith("port "):
                    raise RuntimeError("a simulated host did not start")
                self.urls.append(f"http://127.0.0.1:{int(line.split()[1])}")
        except BaseException:
            self.close()
            raise

    @property
    def pids(self) -> list[int]:
        return [proc.pid for proc in self.procs]

    def stats(self) -> dict[str, int]:
        """Calls, 503s and the peak concurrency (the highest of any host) since the last read; resets."""
        total = {"calls": 0, "refused_503": 0, "peak_in_flight": 0}
        for url in self.urls:
            one = httpx.post(url + STATS_PATH, timeout=10).json()
            total["calls"] += one["calls"]
            total["refused_503"] += one["refused_503"]
            total["peak_in_flight"] = max(total["peak_in_flight"], one["peak_in_flight"])
        return total

    def close(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.wait(timeout=20)


# ----------------------------------------------------------------------------------- the plain client


class PlainClient:
    """The limit: hosts x K threads, each bound to one host (so each host sees exactly K at once), sending
    every document's chat call through the official `ollama` client with the messages and options
    Turnout's local route sends (configs/: the local model, its context window, the task's sampling)."""

    def __init__(self, settings: Settings, urls: list[str], slots: int):
        policies = Policies.load(settings)
        self.prompts, self.model, self.slots = policies.prompts, policies.routing.models.local, slots
        sampling = self.prompts.sampling_for(TASK.kind)
        self.options: dict[str, Any] = {"num_ctx": policies.models.info(self.model).context_tokens}
        for name, value in (
            ("temperature", sampling.temperature),
            ("seed", sampling.seed),
            ("num_predict", sampling.max_output_tokens),
        ):
            if value is not None:
                self.options[name] = value
        # As worker/backends/ollama.py builds its clients: keep-alive, one idle connection per slot.
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=slots)
        self.clients = [
            ollama.Client(host=url, timeout=settings.request_timeout_s, limits=limits) for url in urls
        ]

    def run(self, docs: list[LoadedDocument]) -> tuple[float, float, int]:
        """Wall seconds from the first call to the last answer, this process's CPU seconds over them,
        and the calls that failed."""
        messages = [self.prompts.messages(TASK, doc.text) for doc in docs]
        next_index, lock, failed = iter(range(len(docs))), threading.Lock(), [0]

        def loop(client: ollama.Client) -> None:
            while True:
                with lock:
                    i = next(next_index, None)
                if i is None:
                    return
                try:
                    client.chat(model=self.model, messages=messages[i], stream=False, options=self.options)
                except (ollama.ResponseError, httpx.HTTPError):
                    with lock:
                        failed[0] += 1

        threads = [
            threading.Thread(target=loop, args=(self.clients[t % len(self.clients)],))
            for t in range(len(self.clients) * self.slots)
        ]
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        return elapsed, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, failed[0]

    def close(self) -> None:
        for client in self.clients:
            client.close()


# ------------------------------------------------------------------------------------ Turnout's pools


class Pools:
    """`turnout worker` processes, as a user runs them (`docker compose up --scale`): `local_procs` local
    pools, each with a thread per slot of every host plus spares (the fleet-wide slots keep the hosts at K), and
    classify pools added one by one."""

    def __init__(self, settings: Settings, app: Any, log_dir: Path, local_procs: int = 1):
        self.settings, self.app, self.log_dir = settings, app, log_dir
        self.classify: list[WorkerProcess] = []
        self.local: list[WorkerProcess] = []
        try:
            for _ in range(local_procs):
                self.local.append(self._start("local"))
        except BaseException:
            self.close()
            raise

    def _start(self, pool: str) -> WorkerProcess:
        env = self.settings.worker_environment()
        worker = WorkerProcess(pool, env, self.log_dir / f"{pool}-{time.monotonic_ns()}.log").start()
        try:
            wait_for_workers(self.app, [worker.node_name], timeout_s=120)
        except BaseException:
            worker.stop()
            raise
        return worker

    def add_classify(self) -> None:
        self.classify.append(self._start("classify"))

    def pids(self) -> dict[str, list[int]]:
        return {
            "classify": [w.process.pid for w in self.classify if w.process],
            "local": [w.process.pid for w in self.local if w.process],
        }

    @contextmanager
    def local_paused(self) -> Iterator[Callable[[], None]]:
        """The local pools consume nothing until the yielded `resume()` (Celery's cancel_consumer and
        add_consumer control commands: their threads, connections and slots stay as they were)."""
        nodes = [w.node_name for w in self.local]
        self.app.control.cancel_consumer("local", destination=nodes, reply=True, timeout=10)
        resumed = False

        def resume() -> None:
            nonlocal resumed
            resumed = True
            self.app.control.add_consumer("local", destination=nodes, reply=True, timeout=10)

        try:
            yield resume
        finally:
            if not resumed:
                resume()

    def close(self) -> None:
        for worker in [*self.classify, *self.local]:
            worker.stop()


def cpu_by_group(groups: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds so far per named group of process trees."""
    return {name: sum(cpu_s(pid) for pid in pids) for name, pids in groups.items()}
