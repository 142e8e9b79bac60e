"""Browser fixtures: one live demo server per run, Debian's chromium, a fresh context per test.

The browser tests skip when /usr/bin/chromium is absent, unless ONETHING_REQUIRE_BROWSER=1
(CI), where its absence fails them. They carry the `browser` mark and run after the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser import chromium
from tests.browser.actions import shot
from tests.browser.server import LiveServer, start

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

HERE = Path(__file__).resolve().parent
ContextFactory = Callable[..., "BrowserContext"]


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Mark the tests in this folder `browser` and move them to the end of the run."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: "browser" in item.keywords)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Iterator[None]:
    """Remember each phase's outcome so a failed test can leave a screenshot behind."""
    outcome: Any = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless; skipped (or failed in CI) when it is absent."""
    reason = chromium.missing_reason()
    if reason:
        if chromium.required():
            pytest.fail(f"{chromium.REQUIRE} is set but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium.CHROMIUM),
                                              headless=True, args=chromium.ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def live_server(browser: Browser, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[LiveServer]:
    """The app on a migrated SQLite file with the demo loaded, served on a free port."""
    server = start(tmp_path_factory.mktemp("live"))
    yield server
    server.stop()


@pytest.fixture
def new_context(browser: Browser, live_server: LiveServer) -> Iterator[ContextFactory]:
    """Open browser contexts on the live server (English unless told); closed after the test.

    Whatever the pages' Content-Security-Policy refuses (an inline script or handler, a
    style or font from elsewhere) chromium reports on the console: any such report fails
    the test, so every story also checks that its pages work under the policy.
    """
    opened: list[BrowserContext] = []
    refused: list[str] = []

    def open_context(**options: Any) -> BrowserContext:
        options.setdefault("locale", "en-US")
        options.setdefault("viewport", {"width": 1366, "height": 900})
        options.setdefault("timezone_id", "Asia/Shanghai")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        context.on("console", lambda message: refused.append(message.text)
                   if "Content Security Policy" in message.text else None)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()
    assert not refused, f"the Content-Security-Policy refused: {refused}"


@pytest.fixture
def page(new_context: ContextFactory, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh context: no cookies, no storage shared with other tests."""
    opened = new_context().new_page()
    yield opened
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed and not opened.is_closed():
        shot(opened, f"FAILED-{request.node.name}")
