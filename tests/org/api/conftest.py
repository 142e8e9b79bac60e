"""The API fixtures: an app on the fresh database and signed-in headers."""

from tests.web.conftest import admin, app, client, make_user, runner  # noqa: F401
