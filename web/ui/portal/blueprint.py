"""The applicant portal (/portal): bundles and guides, applying, tracking one's cases.

The views live in the modules of this package by concept; importing the package registers
them all on this one blueprint.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal")
