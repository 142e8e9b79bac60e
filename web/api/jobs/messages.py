"""Messages (to the case they correlate with) and signals (to every waiting case)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from engine.casework import cases
from engine.jobs import messages
from web.api.validation import Fields, json_object
from web.context import actor, engine, transaction

bp = Blueprint("messages", __name__)


@bp.post("/messages")
def send_message() -> dict[str, Any]:
    """Deliver a message; more than one matching case is a 409 unless 'all' is true."""
    body = Fields(json_object())
    name = body.text("name", required=True)
    correlation = body.mapping("correlation")
    payload = body.mapping("payload")
    business_key = body.text("business_key")
    everyone = body.flag("all")
    body.done()
    assert name is not None  # done() raised otherwise
    with transaction() as session:
        delivered = messages.send_message(
            engine(), session, name, actor=actor(), correlation=correlation, payload=payload,
            business_key=business_key, all_matching=everyone)
        return {"cases": [cases.as_dict(session, c) for c in delivered]}


@bp.post("/signals")
def send_signal() -> dict[str, Any]:
    """Broadcast a signal; an empty list means no case was waiting for it."""
    body = Fields(json_object())
    name = body.text("name", required=True)
    payload = body.mapping("payload")
    body.done()
    assert name is not None  # done() raised otherwise
    with transaction() as session:
        delivered = messages.send_signal(engine(), session, name, actor=actor(),
                                         payload=payload)
        return {"cases": [cases.as_dict(session, c) for c in delivered]}
