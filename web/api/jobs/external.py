"""External tasks for outside workers, in the shape Camunda's external-task clients use."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from flask import Blueprint
from pydantic import ConfigDict, Field, ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core import PydanticCustomError

from engine.casework import cases, work_items
from engine.jobs import external
from web.api.casework.shapes import WorkItem
from web.api.casework.tasks import Completed
from web.api.declare import Body, Reply, operation
from web.context import actor, engine, transaction

bp = Blueprint("external", __name__, url_prefix="/external-tasks")

DEFAULT_LOCK_MS = 60_000
# bounds keep timestamps and integer columns from overflowing
MAX_WAIT_MS = 7 * 24 * 3600 * 1000
MAX_RETRIES = 10_000
IGNORED = "sent by Camunda clients; ignored"


class CamundaBody(Body):
    """A body Camunda's clients send: the fields below come along and change nothing here."""

    usePriority: Any = Field(None, description=IGNORED)
    asyncResponseTimeout: Any = Field(None, description=IGNORED)
    sorting: Any = Field(None, description=IGNORED)
    localVariables: Any = Field(None, description=IGNORED)
    errorDetails: Any = Field(None, description=IGNORED)


class FetchTopic(Body):
    """A topic with a lock duration of its own (Camunda clients send more; it is ignored)."""

    model_config = ConfigDict(extra="allow")

    topicName: str = Field(min_length=1)
    lockDuration: int | None = Field(None, ge=1, le=MAX_WAIT_MS, description="milliseconds")


def _one_topic(value: Any, handler: ValidatorFunctionWrapHandler) -> str | FetchTopic:
    """A topic name or object; one without a name is wrong as a whole (topics/N)."""
    if isinstance(value, str) and value:
        return value
    if isinstance(value, dict) and isinstance(value.get("topicName"), str) \
            and value["topicName"]:
        # validated on its own, so a bad lockDuration is named topics/N/lockDuration
        return FetchTopic.model_validate(value)
    raise PydanticCustomError("topic", "must name a topic")


Topic = Annotated[str | FetchTopic, WrapValidator(_one_topic)]


class FetchAndLock(CamundaBody):
    workerId: str = Field(min_length=1)
    topics: list[Topic] = Field(min_length=1,
                                description="topic names, or objects with a 'topicName'")
    maxTasks: int = Field(10, ge=1, le=100)
    lockDuration: int = Field(DEFAULT_LOCK_MS, ge=1, le=MAX_WAIT_MS,
                              description="milliseconds, for topics that name none")


class ExternalComplete(CamundaBody):
    workerId: str = Field(min_length=1)
    variables: dict[str, Any] | None = Field(None, description="the task's result")


class ExternalFailure(CamundaBody):
    workerId: str = Field(min_length=1)
    errorMessage: str = ""
    retries: int = Field(0, ge=0, le=MAX_RETRIES, description="fetches left")
    retryTimeout: int = Field(0, ge=0, le=MAX_WAIT_MS,
                              description="milliseconds before it can be fetched again")


class LockedTask(Reply):
    """An external task locked for the worker, with the variables it gets."""

    id: str
    topic: str
    case_id: int
    element: str
    lock_expires_at: datetime
    variables: dict[str, Any]


def _by_lock(topics: list[str | FetchTopic], default_ms: int) -> dict[int, list[str]]:
    """Topic names grouped by their lock duration."""
    groups: dict[int, list[str]] = {}
    for topic in topics:
        if isinstance(topic, str):
            groups.setdefault(default_ms, []).append(topic)
        else:
            groups.setdefault(topic.lockDuration or default_ms, []).append(topic.topicName)
    return groups


@bp.post("/fetch-and-lock")
@operation("fetchAndLock", tag="external-tasks", body=FetchAndLock,
           ok={200: list[LockedTask]}, descriptions={200: "Locked tasks (maybe none)"})
def fetch_and_lock(json: FetchAndLock) -> list[dict[str, Any]]:
    """Lock external tasks of some topics for a worker."""
    locked: list[dict[str, Any]] = []
    with transaction() as session:
        for ms, names in _by_lock(json.topics, json.lockDuration).items():
            if len(locked) >= json.maxTasks:
                break
            # round up so a sub-second lock does not become no lock at all
            locked += external.fetch_and_lock(session, json.workerId, names, actor=actor(),
                                              max_tasks=json.maxTasks - len(locked),
                                              lock_seconds=max(1, -(-ms // 1000)))
    return locked


@bp.post("/<item_id>/complete")
@operation("completeExternalTask", tag="external-tasks", body=ExternalComplete,
           ok={200: Completed}, errors=("404", "409"))
def complete(item_id: str, json: ExternalComplete) -> dict[str, Any]:
    """Finish an external task."""
    with transaction() as session:
        case = external.complete(engine(), session, item_id, json.workerId, json.variables,
                                 actor())
        return {"task": work_items.as_dict(work_items.get(session, item_id)),
                "case": cases.as_dict(session, case)}


@bp.post("/<item_id>/failure")
@operation("failExternalTask", tag="external-tasks", body=ExternalFailure,
           ok={200: WorkItem}, errors=("404", "409"))
def failure(item_id: str, json: ExternalFailure) -> dict[str, Any]:
    """Report that an external task failed."""
    # with retries left the task can be fetched again after retryTimeout
    with transaction() as session:
        item = external.fail(session, item_id, json.workerId, json.errorMessage,
                             retries=json.retries, retry_timeout_ms=json.retryTimeout,
                             actor=actor())
        return work_items.as_dict(item)
