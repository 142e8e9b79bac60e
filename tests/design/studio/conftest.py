"""The web fixtures (app, client, users with tokens) for the studio tests."""

from tests.web.conftest import admin, app, client, make_user

__all__ = ["admin", "app", "client", "make_user"]
