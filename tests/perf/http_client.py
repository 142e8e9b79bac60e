"""The HTTP benchmark's plumbing: a fresh database, `onething serve` on it, a keep-alive client.

The server is set up only through the command line, as an operator would: `db upgrade`,
`deploy`, `user add --admin`, `token create`, then `serve` (or `worker`) as a subprocess.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.schemas import fresh_schema

ONETHING = str(Path(sys.executable).with_name("onething"))


def percentile(values: Sequence[float], q: float) -> float:
    """The Q-quantile (0..1) of VALUES, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(q * len(ordered)))) - 1]


class HttpError(Exception):
    """A reply outside 2xx."""


@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float
    requests: int = 1

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Client:
    """One keep-alive connection, reused for every request; every reply is read to its end."""

    port: int
    token: str
    timeout: float = 60.0
    latencies: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        self.headers = {"Authorization": f"Bearer {self.token}",
                        "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: Any = None) -> Reply:
        """Send one request and read the whole reply; raise HttpError unless 2xx."""
        payload = None if body is None else json.dumps(body).encode()
        t0 = time.perf_counter()
        self.conn.request(method, path, body=payload, headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        reply = Reply(response.status, data, time.perf_counter() - t0)
        self.latencies.append(reply.seconds)
        if not 200 <= reply.status < 300:
            raise HttpError(f"{method} {path}: {reply.status} {data[:300]!r}")
        return reply

    # the protocol every benchmark drives: start, list open tasks, complete, read status
    def start(self, process: str, data: Mapping[str, Any]) -> int:
        return int(self.call("POST", "/api/v1/cases", {"process": process, "data": data})
                   .json()["id"])

    def open_tasks(self, case_id: int) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.call(
            "GET", f"/api/v1/cases/{case_id}/work-items?state=open").json()["items"]
        return items

    def complete(self, task_id: str, data: Mapping[str, Any]) -> Reply:
        return self.call("POST", f"/api/v1/tasks/{task_id}/complete", {"data": data})

    def case(self, case_id: int) -> Reply:
        return self.call("GET", f"/api/v1/cases/{case_id}")

    def whole_case(self, case_id: int) -> Reply:
        """The case with its whole history: GET /cases/{ref}, and where that reply only
        counts the work items and audit entries, every page of /work-items and /audit;
        one Reply summing their bytes and seconds."""
        first = self.case(case_id)
        replies = [first]
        if "counts" in first.json():
            for part in ("work-items", "audit"):
                after = ""
                while True:
                    page = self.call("GET", f"/api/v1/cases/{case_id}/{part}?limit=500{after}")
                    replies.append(page)
                    cursor = page.json()["next_cursor"]
                    if not cursor:
                        break
                    after = f"&after={cursor}"
        return Reply(first.status, b"".join(r.body for r in replies),
                     sum(r.seconds for r in replies), len(replies))

    def close(self) -> None:
        self.conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def fresh_database(label: str, folder: Path) -> Iterator[str]:
    """An empty database: a SQLite file in FOLDER, or a new schema in TEST_DATABASE_URL."""
    if label == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    with fresh_schema(os.environ["TEST_DATABASE_URL"], "bench") as url:
        yield url


@dataclass
class Site:
    """A migrated database with deployed diagrams and an admin token; serves and works on it."""

    url: str
    folder: Path
    token: str = ""
    children: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "ONETHING_DATABASE_URL": self.url,
                "ONETHING_SECRET_KEY_FILE": str(self.folder / "secret_key")}

    def cli(self, *args: str) -> str:
        done = subprocess.run([ONETHING, *args], env=self.env, capture_output=True, text=True,
                              cwd=self.folder)
        if done.returncode != 0:
            raise RuntimeError(f"onething {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout.strip()

    def prepare(self, diagrams: Sequence[Path]) -> None:
        self.cli("db", "upgrade")
        for path in diagrams:
            self.cli("deploy", str(path))
        self.cli("user", "add", "bench", "--admin")
        self.token = self.cli("token", "create", "bench")

    def spawn(self, *args: str, log: str) -> subprocess.Popen[bytes]:
        # To a file, never a pipe nobody reads: once the 64 KiB pipe buffer is full the
        # server blocks writing a log line inside a request, holding SQLite's write lock.
        with open(self.folder / log, "ab") as out:
            child = subprocess.Popen([ONETHING, *args], env=self.env, cwd=self.folder,
                                     stdout=out, stderr=subprocess.STDOUT)
        self.children.append(child)
        return child

    def serve(self, *options: str) -> int:
        """Start `onething serve` on a free port and wait until /readyz answers; the port."""
        port = free_port()
        child = self.spawn("serve", "--port", str(port), *options, log=f"serve-{port}.log")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if child.poll() is not None:
                raise RuntimeError(f"onething serve exited: {self.log_tail(f'serve-{port}.log')}")
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            try:
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    return port
            except OSError:
                pass
            finally:
                conn.close()
            time.sleep(0.1)
        raise RuntimeError("onething serve did not become ready in 60 s")

    def log_tail(self, log: str, lines: int = 20) -> str:
        return "\n".join((self.folder / log).read_text(errors="replace").splitlines()[-lines:])

    def log_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.folder.glob("*.log"))

    def stop(self, child: subprocess.Popen[bytes] | None = None) -> None:
        """SIGTERM CHILD (default: every child), wait for it to finish."""
        for proc in [child] if child is not None else list(self.children):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            self.children.remove(proc)


@contextmanager
def site(label: str, diagrams: Sequence[Path]) -> Iterator[Site]:
    """A prepared Site on a fresh database; its processes stopped and the database dropped."""
    folder = Path(tempfile.mkdtemp(prefix="onething-http-"))
    try:
        with fresh_database(label, folder) as url:
            here = Site(url, folder)
            try:
                here.prepare(diagrams)
                yield here
            finally:
                here.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
