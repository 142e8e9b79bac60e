"""Browser sessions in the admin API: sign a user out everywhere at once."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from engine.org.users import sign_out_everywhere
from web.api.declare import Reply, operation
from web.context import actor, transaction

bp = Blueprint("admin_sessions", __name__, url_prefix="/admin")


class SignedOut(Reply):
    """How many of the user's browser sessions were ended."""

    username: str
    sessions_ended: int


@bp.post("/users/<username>/sign-out")
@operation("adminSignOutEverywhere", tag="admin", ok={200: SignedOut},
           errors=("403", "404"))
def sign_out(username: str) -> dict[str, Any]:
    """End every browser session of a user: each of their browsers must sign in again."""
    with transaction() as session:
        ended = sign_out_everywhere(session, actor(), username)
    return {"username": username, "sessions_ended": ended}
