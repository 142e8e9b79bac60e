"""HTTP benchmark: python -m tests.perf.bench_http [--cases N] [--depths 10,100] [--parts 123]

Serves the app as `onething serve` does (gunicorn subprocess, default workers and threads
for the database) on a freshly migrated SQLite file, and on a fresh PostgreSQL schema when
TEST_DATABASE_URL is set, and drives it with one sequential keep-alive client: start a
case, list its open tasks, complete each, read its status. Prints, each beside a baseline
measured in the same run:
1. the reference process, ms per case, beside the same cases in memory and the previous
   reply shape (the client also reads the whole case after each completion);
2. a loop process: one completion at 10 ... 2,000 rounds and its reply's bytes, beside
   reading the whole case at that depth;
3. 8 clients, each on its own connection: cases/s, p95 per request and errors, beside the
   single client of part 1;
4. timers (tests/perf/bench_timers.py): due -> fired and drain rate, 1 vs 2 workers, for a
   burst due at once and for due times spread over two minutes.
"The whole case" is GET /cases/{ref}, plus every page of its /work-items and /audit where
that reply only counts them (Client.whole_case). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from adapters.services import default_services
from engine.runtime.diagrams import compile_bundle
from engine.runtime.engine import Engine
from tests.perf import bench_timers
from tests.perf.bench_engine import REF_DATA, _drive_memory
from tests.perf.http_client import Client, HttpError, percentile, site

DATA = Path(__file__).resolve().parents[1] / "data"
REFERENCE, LOOP = DATA / "reference.bpmn", DATA / "loop.bpmn"
ANSWERS = cast(dict[str, dict[str, Any]], REF_DATA)
CLIENTS = 8


def drive_reference(client: Client, *, previous_shape: bool = False) -> None:
    """One reference case through the API: 8 requests, and in the previous reply shape the
    whole case after each of the 3 completions."""
    case_id = client.start("reference", {})
    while tasks := client.open_tasks(case_id):
        for task in tasks:
            client.complete(task["id"], ANSWERS[task["element"]])
            if previous_shape:
                client.whole_case(case_id)
    status = client.case(case_id).json()["status"]
    if status != "completed":
        raise HttpError(f"case {case_id} ended {status}")


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _spread(seconds: list[float]) -> str:
    ms = [s * 1e3 for s in seconds]
    return f"{statistics.median(ms):7.2f} / {min(ms):7.2f} / {max(ms):7.2f}"


def part_reference(label: str, port: int, token: str, runs: int,
                   log_bytes: Callable[[], int]) -> tuple[float, float]:
    """Part 1; returns the single client's cases/s and p95 per request, for part 3."""
    client = Client(port, token)
    for _ in range(3):  # compile the bundle, warm the caches and the connection
        drive_reference(client)
        drive_reference(client, previous_shape=True)
    now, before, requests = [], [], []
    logged, sent = log_bytes(), len(client.latencies)
    for _ in range(runs):  # interleaved, so that drift hits both alike
        start = len(client.latencies)
        now.append(_timed(lambda: drive_reference(client)))
        requests += client.latencies[start:]
        before.append(_timed(lambda: drive_reference(client, previous_shape=True)))
    logged, sent = log_bytes() - logged, len(client.latencies) - sent
    client.close()
    rt = Engine(services=default_services())
    spec, subs = compile_bundle({REFERENCE.name: REFERENCE.read_bytes()}).specs["reference"]
    for _ in range(3):
        _drive_memory(spec, subs, rt)
    memory = [_timed(lambda: _drive_memory(spec, subs, rt)) for _ in range(runs)]
    m = statistics.median
    print(f"[{label}] 1. reference process, ms per case over {runs} cases "
          "(median / min / max)")
    print(f"  HTTP, this reply shape (8 requests)      {_spread(now)}   per request "
          f"p50 {m(requests) * 1e3:.2f} ms, p95 {percentile(requests, 0.95) * 1e3:.2f} ms")
    print(f"  in memory (bench_engine._drive_memory)   {_spread(memory)}   "
          f"HTTP / in memory {m(now) / m(memory):5.1f}x")
    print(f"  previous reply shape (+3 whole case)     {_spread(before)}   "
          f"previous / this {m(before) / m(now):4.2f}x")
    print(f"  server log: {logged / sent:.0f} bytes per request")
    return 1 / statistics.mean(now), percentile(requests, 0.95)


def part_loop(label: str, port: int, token: str, depths: list[int], samples: int = 5) -> None:
    """Part 2: one loop case driven to each depth in turn."""
    client = Client(port, token)
    case_id = client.start("loop", {"target": 10**6})
    done = 0
    print(f"[{label}] 2. loop process: one completion at N rounds (median of {samples}) "
          "beside reading the whole case")
    for depth in depths:
        times, size = [], 0
        while done < depth:
            (task,) = client.open_tasks(case_id)
            reply = client.complete(task["id"], {"round": done})
            done += 1
            if done > depth - samples:
                times.append(reply.seconds)
                size = len(reply.body)
        whole = [client.whole_case(case_id) for _ in range(samples)]
        print(f"  N={depth:5d}: completion {statistics.median(times) * 1e3:7.2f} ms, "
              f"reply {size:7d} B | whole case "
              f"{statistics.median(r.seconds for r in whole) * 1e3:7.2f} ms, "
              f"{len(whole[-1].body):8d} B in {whole[-1].requests} requests")
    client.close()


def part_concurrent(label: str, port: int, token: str, total: int,
                    single: tuple[float, float]) -> None:
    """Part 3: CLIENTS threads, each with its own keep-alive connection."""
    per = max(1, total // CLIENTS)
    errors: list[str] = []
    latencies: list[float] = []
    ready = threading.Barrier(CLIENTS + 1)

    def run() -> None:
        client = Client(port, token, latencies=latencies)
        ready.wait()
        for _ in range(per):
            try:
                drive_reference(client)
            except (HttpError, OSError, http.client.HTTPException) as err:
                errors.append(f"{type(err).__name__}: {err}")
                client.close()
                client = Client(port, token, latencies=latencies)
        client.close()

    threads = [threading.Thread(target=run) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    ready.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - t0
    alone = (f"one client {single[0]:6.1f} cases/s, p95 {single[1] * 1e3:.2f} ms"
             if single[0] else "one client: run part 1")
    print(f"[{label}] 3. {CLIENTS} clients x {per} reference cases: "
          f"{CLIENTS * per / wall:6.1f} cases/s, per request p50 "
          f"{statistics.median(latencies) * 1e3:.2f} ms, p95 "
          f"{percentile(latencies, 0.95) * 1e3:.2f} ms, errors {len(errors)} | {alone}")
    for message in sorted(set(errors))[:5]:
        print(f"  error x{errors.count(message)}: {message}")


def main() -> None:
    has_pg = bool(os.environ.get("TEST_DATABASE_URL"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", "30")))
    parser.add_argument("--depths", default="10,100,300,1000,2000")
    parser.add_argument("--concurrent", type=int, default=160, help="cases in part 3")
    parser.add_argument("--timers", type=int, default=10_000, help="cases in part 4")
    parser.add_argument("--timer-spread", type=float, default=120.0,
                        help="part 4 once more with one worker, the due times spread over "
                             "this many seconds (0: only the burst)")
    parser.add_argument("--parts", default="1234")
    parser.add_argument("--databases", default="sqlite,postgresql" if has_pg else "sqlite")
    args = parser.parse_args()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (1, 5, 15 min)")
    for label in args.databases.split(","):
        if set(args.parts) & set("123"):
            with site(label, [REFERENCE, LOOP]) as here:
                port = here.serve()
                single = (0.0, 0.0)
                if "1" in args.parts:
                    single = part_reference(label, port, here.token, args.cases, here.log_bytes)
                if "2" in args.parts:
                    part_loop(label, port, here.token, [int(d) for d in args.depths.split(",")])
                if "3" in args.parts:
                    part_concurrent(label, port, here.token, args.concurrent, single)
        if "4" in args.parts and args.timers:
            bench_timers.part_timers(label, args.timers, (1, 2) if label != "sqlite" else (1,),
                                     args.timer_spread)
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
