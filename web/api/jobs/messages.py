"""Messages (to the case they correlate with) and signals (to every waiting case)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from pydantic import Field

from engine.casework import cases
from engine.jobs import messages
from web.api.casework.shapes import Case
from web.api.declare import Body, Reply, operation
from web.context import actor, engine, transaction

bp = Blueprint("messages", __name__)


class Message(Body):
    name: str = Field(min_length=1, description="the message name the diagram waits for")
    correlation: dict[str, Any] | None = Field(
        None, description="the correlation properties of the case it is for")
    payload: dict[str, Any] | None = Field(None, description="data the message brings")
    business_key: str | None = Field(None, description="only the case with this business key")
    all: bool = Field(False, description="deliver to every matching case, not just one")


class Signal(Body):
    name: str = Field(min_length=1, description="the signal name the diagrams wait for")
    payload: dict[str, Any] | None = Field(None, description="data the signal brings")


class Delivered(Reply):
    """The cases a message or signal reached, as they now stand."""

    cases: list[Case]


@bp.post("/messages")
@operation("sendMessage", tag="events", body=Message, ok={200: Delivered},
           errors=("404", "409"))
def send_message(json: Message) -> dict[str, Any]:
    """Deliver a message to the case it correlates with."""
    # more than one matching case is a 409 unless 'all' is true
    with transaction() as session:
        delivered = messages.send_message(
            engine(), session, json.name, actor=actor(), correlation=json.correlation,
            payload=json.payload, business_key=json.business_key, all_matching=json.all)
        return {"cases": [cases.as_dict(session, c) for c in delivered]}


@bp.post("/signals")
@operation("sendSignal", tag="events", body=Signal, ok={200: Delivered})
def send_signal(json: Signal) -> dict[str, Any]:
    """Broadcast a signal to every waiting case."""
    # an empty list means no case was waiting for it
    with transaction() as session:
        delivered = messages.send_signal(engine(), session, json.name, actor=actor(),
                                         payload=json.payload)
        return {"cases": [cases.as_dict(session, c) for c in delivered]}
