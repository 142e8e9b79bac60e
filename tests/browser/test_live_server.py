"""The browser set-up itself: chromium reaches the live demo server, screenshots are saved."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from tests.browser.actions import shot

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.browser.server import LiveServer


def test_the_live_server_serves_the_migrated_demo(page: Page, live_server: LiveServer) -> None:
    response = page.goto("/healthz")
    assert response is not None and response.status == 200
    assert json.loads(page.locator("body").inner_text()) == {"status": "ok",
                                                             "database": "ok"}
    # the demo is loaded: its three bundles are listed by the public OpenAPI-described API
    document = page.request.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    unauthenticated = page.request.get("/api/v1/deployments")
    assert unauthenticated.status == 401


def test_a_screenshot_is_written(page: Page) -> None:
    page.set_content("<main><h1>一件事 onething</h1></main>")
    path = shot(page, "setup-check")
    assert path.is_file() and path.stat().st_size > 500
