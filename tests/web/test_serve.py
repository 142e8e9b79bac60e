"""`onething serve` as an operator runs it: gunicorn, keep-alive, one JSON access line per
request naming the case, the embedded job worker, and a graceful stop on SIGTERM."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ONETHING = str(Path(sys.executable).with_name("onething"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(port: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[0]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("onething serve did not listen within 60 s")


def test_serve_keeps_connections_alive_logs_each_request_and_stops_gracefully(
        db_url: str, tmp_path: Path) -> None:
    port = _free_port()
    env = dict(os.environ, ONETHING_SECRET_KEY_FILE=str(tmp_path / "key"),
               ONETHING_MATERIALS_ROOT=str(tmp_path / "materials"), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [ONETHING, "--database-url", db_url, "serve", "--port", str(port), "--threads", "4"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=tmp_path)
    try:
        _wait_until_up(port, proc)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/healthz")
        first = conn.getresponse()
        first.read()
        sock = conn.sock
        conn.request("GET", "/api/v1/cases/LL-2026-000042")
        second = conn.getresponse()
        second.read()
        # one connection for both requests: HTTP/1.1 keep-alive on a production server
        assert first.status == 200 and conn.sock is sock
        assert first.getheader("Connection", "").lower() != "close"
        assert first.getheader("Server", "").startswith("gunicorn")
        assert second.status == 401
        conn.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=40)
    assert proc.returncode == 0, output
    assert "development server" not in output.lower()
    lines = [json.loads(line.split("onething.access: ", 1)[1])
             for line in output.splitlines() if "onething.access: " in line]
    health = next(e for e in lines if e["path"] == "/healthz")
    assert health["status"] == 200 and health["method"] == "GET" and health["ms"] >= 0
    refused = next(e for e in lines if e["path"].startswith("/api/v1/cases/"))
    assert refused["case"] == "LL-2026-000042" and refused["status"] == 401
    # the job worker ran beside the web worker and stopped with it
    assert "worker web-" in output and "started" in output and "stopped" in output
