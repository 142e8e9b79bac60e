"""The applicant portal: the blueprint and, imported here, every view registered on it."""

from web.ui.portal import apply, bundles, cases  # noqa: F401  (registers the views)
from web.ui.portal.blueprint import bp

__all__ = ["bp"]
