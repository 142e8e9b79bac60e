"""The applicant portal (/portal): bundles and guides, applying, tracking one's cases.

The views live in portal_*.py modules by concept; importing this module registers them
all on one blueprint.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal")

from web.ui import portal_apply, portal_bundles, portal_cases  # noqa: E402,F401  (registers views)
