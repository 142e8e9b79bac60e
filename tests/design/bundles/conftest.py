"""Bundle fixtures: the web app fixtures, for the API checks of a bundle's forms."""

from tests.web.conftest import admin, app, client, make_user  # noqa: F401
