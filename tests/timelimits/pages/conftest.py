"""The page fixtures: an app with the shipped bundles and signed-in browsers."""

from tests.ui.conftest import app, client, person, restaurant  # noqa: F401
