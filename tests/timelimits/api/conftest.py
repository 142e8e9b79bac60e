"""The API fixtures (app, client, users with bearer tokens) and a deployed restaurant."""

from tests.org.admin.test_dashboard_api import deployed
from tests.web.conftest import admin, app, client, make_user

__all__ = ["admin", "app", "client", "deployed", "make_user"]
