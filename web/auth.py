"""Who is calling: bearer tokens, then browser sessions, both ending in flask.g.actor.

Unknown bearer tokens are counted per client address (engine.org.throttle); an address that
sent too many in the window gets 429 with Retry-After for every token until it is free.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import current_app, g, request

from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.core.errors import Unauthorized
from engine.org import throttle
from engine.org.users import TOKEN_PREFIX, actor_for_token
from web.context import onething, transaction

# Tried in order until one names the caller; the pages add the browser session's loader
# (web.ui.guard.session_actor) without touching the API blueprints.
ActorLoader = Callable[[], Actor | None]


def sign_in_limits() -> throttle.Limits:
    """The throttle's limits as the app is configured (ONETHING_SIGN_IN_* and others)."""
    config, default = current_app.config, throttle.Limits()
    return throttle.Limits(
        account=int(config.get("SIGN_IN_ACCOUNT_LIMIT", default.account)),
        address=int(config.get("SIGN_IN_ADDRESS_LIMIT", default.address)),
        tokens=int(config.get("TOKEN_ADDRESS_LIMIT", default.tokens)),
        window=timedelta(minutes=int(config.get("SIGN_IN_WINDOW_MINUTES",
                                                default.window.total_seconds() // 60))))


def client_address() -> str:
    """The caller's address (behind ONETHING_TRUSTED_PROXIES, as the proxies forward it)."""
    return request.remote_addr or "unknown"


def bearer_actor() -> Actor | None:
    """The actor of an `Authorization: Bearer ot_...` header, or None without one."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("use 'Authorization: Bearer <token>'")
    limits, address = sign_in_limits(), client_address()
    with transaction() as session:
        # checked before the token: a locked address learns nothing, not even a right guess
        throttle.check_tokens(session, limits, address)
        refused = Unauthorized("unknown or revoked token")
        if token.startswith(TOKEN_PREFIX):
            try:
                return actor_for_token(session, token)
            except Unauthorized as err:
                refused = err
    # in a unit of its own: the request's unit may be read-only, and it rolls back
    with unit_of_work(onething().factory) as session:
        throttle.token_failed(session, limits, address)
    raise refused


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
