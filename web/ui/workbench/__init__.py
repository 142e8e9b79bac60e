"""The clerk's workbench: the blueprint and, imported here, every view registered on it."""

from web.ui.workbench import (  # noqa: F401  (registers the views)
    actions,
    cooperation,
    desk,
    pages,
    search,
    service,
    supervision,
)
from web.ui.workbench.blueprint import bp

__all__ = ["bp"]
