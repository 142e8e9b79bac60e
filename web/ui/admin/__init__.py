"""Administration: the blueprint and, imported here, every view registered on it."""

from web.ui.admin import audit, dashboard, pages, users  # noqa: F401  (registers the views)
from web.ui.admin.blueprint import bp

__all__ = ["bp"]
