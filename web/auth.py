"""Who is calling: bearer tokens today, browser sessions later, both ending in flask.g.actor."""

from __future__ import annotations

from collections.abc import Callable

from flask import g, request

from engine.core.actors import Actor
from engine.core.errors import Unauthorized
from engine.org.users import TOKEN_PREFIX, actor_for_token
from web.context import transaction

# Tried in order until one names the caller. Browser session login will add a loader here
# (reading the Flask session) without touching the API blueprints.
ActorLoader = Callable[[], Actor | None]


def bearer_actor() -> Actor | None:
    """The actor of an `Authorization: Bearer ot_...` header, or None without one."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("use 'Authorization: Bearer <token>'")
    if not token.startswith(TOKEN_PREFIX):
        raise Unauthorized("unknown or revoked token")
    with transaction() as session:
        return actor_for_token(session, token)


LOADERS: list[ActorLoader] = [bearer_actor]


def require_actor() -> None:
    """Set g.actor for a protected request or refuse it with 401."""
    if request.method == "OPTIONS":
        return  # CORS preflights never carry credentials and change nothing
    for loader in LOADERS:
        found = loader()
        if found is not None:
            g.actor = found
            return
    raise Unauthorized("this request needs a bearer token: 'Authorization: Bearer ot_...'")

