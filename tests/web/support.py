"""Helpers the web tests share: test bundles, multipart uploads, problem+json checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

DATA = Path(__file__).resolve().parent / "data"
SIGNBOARD = DATA / "signboard"

Headers = dict[str, str]


def upload(client: FlaskClient, headers: Headers, *paths: Path, **form: str) -> Any:
    """POST PATHS as one bundle the way a browser or curl -F does."""
    data: dict[str, Any] = dict(form)
    data["files"] = [(path.open("rb"), path.name) for path in paths]
    try:
        return client.post("/api/v1/deployments", headers=headers, data=data,
                           content_type="multipart/form-data")
    finally:
        for handle, _ in data["files"]:
            handle.close()


def signboard_files() -> list[Path]:
    return sorted(SIGNBOARD.iterdir())


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """Check RESPONSE is an RFC 9457 problem with STATUS and return its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json(force=True)
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body
