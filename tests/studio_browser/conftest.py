"""The browser fixtures of tests/browser (live demo server, chromium) for the studio story."""

from tests.browser.conftest import browser, live_server, new_context, page

__all__ = ["browser", "live_server", "new_context", "page"]
