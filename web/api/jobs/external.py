"""External tasks for outside workers, in the shape Camunda's external-task clients use."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from engine.casework import cases, work_items
from engine.core.errors import FieldError, InvalidInput
from engine.jobs import external
from web.api.validation import Fields, json_object
from web.context import actor, engine, transaction

bp = Blueprint("external", __name__, url_prefix="/external-tasks")

DEFAULT_LOCK_MS = 60_000
# bounds keep timestamps and integer columns from overflowing
MAX_WAIT_MS = 7 * 24 * 3600 * 1000
MAX_RETRIES = 10_000
# Camunda clients send these too; they change nothing here
_CLIENT_EXTRAS = ("usePriority", "asyncResponseTimeout", "sorting", "localVariables",
                  "errorDetails")


def _topics(raw: list[Any], default_ms: int) -> dict[int, list[str]]:
    """Group topic names by lock duration; a topic is a name or {topicName, lockDuration}."""
    groups: dict[int, list[str]] = {}
    for index, topic in enumerate(raw):
        name, lock_ms = topic, default_ms
        if isinstance(topic, dict):
            name, lock_ms = topic.get("topicName"), topic.get("lockDuration", default_ms)
        if not isinstance(name, str) or not name:
            raise InvalidInput("each topic is a name or an object with a 'topicName'",
                               [FieldError(f"topics/{index}", "must name a topic")])
        if not isinstance(lock_ms, int) or isinstance(lock_ms, bool) \
                or not 1 <= lock_ms <= MAX_WAIT_MS:
            raise InvalidInput(f"lockDuration is 1 to {MAX_WAIT_MS} milliseconds",
                               [FieldError(f"topics/{index}/lockDuration",
                                           f"must be 1 to {MAX_WAIT_MS}")])
        groups.setdefault(lock_ms, []).append(name)
    return groups


@bp.post("/fetch-and-lock")
def fetch_and_lock() -> list[dict[str, Any]]:
    """Lock up to maxTasks open external tasks of the topics for this worker."""
    body = Fields(json_object())
    worker_id = body.text("workerId", required=True)
    raw_topics = body.items("topics", required=True)
    max_tasks = body.integer("maxTasks", default=10, minimum=1, maximum=100) or 10
    lock_ms = body.integer("lockDuration", default=DEFAULT_LOCK_MS, minimum=1,
                           maximum=MAX_WAIT_MS)
    body.seen.update(_CLIENT_EXTRAS)
    body.done()
    assert worker_id is not None and raw_topics is not None  # done() raised otherwise
    groups = _topics(raw_topics, lock_ms or DEFAULT_LOCK_MS)
    if not groups:
        raise InvalidInput("give at least one topic", [FieldError("topics", "is empty")])
    locked: list[dict[str, Any]] = []
    with transaction() as session:
        for ms, names in groups.items():
            if len(locked) >= max_tasks:
                break
            # round up so a sub-second lock does not become no lock at all
            locked += external.fetch_and_lock(session, worker_id, names, actor=actor(),
                                              max_tasks=max_tasks - len(locked),
                                              lock_seconds=max(1, -(-ms // 1000)))
    return locked


@bp.post("/<item_id>/complete")
def complete(item_id: str) -> dict[str, Any]:
    """Finish an external task this worker holds, with its result variables."""
    body = Fields(json_object())
    worker_id = body.text("workerId", required=True)
    variables = body.mapping("variables")
    body.seen.update(_CLIENT_EXTRAS)
    body.done()
    assert worker_id is not None  # done() raised otherwise
    with transaction() as session:
        case = external.complete(engine(), session, item_id, worker_id, variables, actor())
        return {"task": work_items.as_dict(work_items.get(session, item_id)),
                "case": cases.as_dict(session, case)}


@bp.post("/<item_id>/failure")
def failure(item_id: str) -> dict[str, Any]:
    """Report a failure; with retries left the task can be fetched again after retryTimeout."""
    body = Fields(json_object())
    worker_id = body.text("workerId", required=True)
    message = body.text("errorMessage", default="") or ""
    retries = body.integer("retries", default=0, minimum=0, maximum=MAX_RETRIES) or 0
    retry_ms = body.integer("retryTimeout", default=0, minimum=0, maximum=MAX_WAIT_MS) or 0
    body.seen.update(_CLIENT_EXTRAS)
    body.done()
    assert worker_id is not None  # done() raised otherwise
    with transaction() as session:
        item = external.fail(session, item_id, worker_id, message, retries=retries,
                             retry_timeout_ms=retry_ms, actor=actor())
        return work_items.as_dict(item)
