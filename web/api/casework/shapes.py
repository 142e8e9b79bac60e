"""The reply shapes of cases and their work, shared by the routes that answer with them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from web.api.declare import Reply

CaseStatus = Literal["running", "completed", "cancelled", "error"]


class Cooperation(Reply):
    """A co-handling (协办) request: a question to another department about a task."""

    id: int
    case_id: int
    task_id: str = Field(description="the main task asked about")
    cooperation_task_id: str | None = Field(
        None, description="the work item in the group's inbox")
    group: str
    question: str
    requested_by: str | None = None
    due_at: datetime | None = None
    state: Literal["open", "answered", "cancelled"]
    answer: str | None = None
    answered_by: str | None = None
    answered_at: datetime | None = None
    created_at: datetime | None = None


class WorkItem(Reply):
    """A task waiting for (or done by) a person or an external worker."""

    id: str
    case_id: int
    kind: Literal["user", "manual", "external", "cooperation"]
    element: str
    process: str | None = None
    title: str
    lane: str | None = None
    documentation: str | None = None
    state: Literal["open", "completed", "cancelled"]
    assignee: str | None = None
    candidate_groups: list[str] = []
    candidate_users: list[str] = []
    form_schema: str | None = None
    form_ui_schema: str | None = None
    topic: str | None = None
    created_at: datetime | None = None
    due_at: datetime | None = None
    completed_at: datetime | None = None
    completed_by: str | None = None
    cooperation: list[Cooperation] | None = Field(
        None, description="requests asked about this task (only on a single task)")


class CaseError(Reply):
    message: str | None = None
    element: str | None = None


class Case(Reply):
    """A case (办件): one application of a bundle."""

    id: int
    number: str
    bundle: str
    process: str | None = None
    deployment_id: int | None = None
    business_key: str | None = None
    title: str | None = None
    office: str | None = None
    channel: str | None = None
    status: CaseStatus
    version: int | None = None
    started_by: str | None = None
    applicant: str | None = Field(
        None, description="the account the case is for; its own steps are theirs")
    created_at: datetime | None = None
    updated_at: datetime | None = None
    completed_at: datetime | None = None
    next_timer_at: datetime | None = None
    error: CaseError | None = None
    work_items: list[WorkItem] | None = Field(
        None, description="its open work items, only on a single case (all of them: "
                          "/cases/{ref}/work-items)")
    waiting_on: list[dict[str, Any]] | None = Field(
        None, description="timers, messages and signals the case waits for")
    counts: dict[str, int] | None = Field(
        None, description="how many work items and audit entries the case has, only on a "
                          "single case; page them at /cases/{ref}/work-items and /audit")
    cooperation: list[Cooperation] | None = Field(
        None, description="co-handling (协办) requests, only on a single case")


class CasePage(Reply):
    """A page of cases."""

    items: list[Case]
    total: int
    limit: int
    offset: int


class WorkItemPage(Reply):
    """A page of tasks."""

    items: list[WorkItem]
    total: int
    limit: int
    offset: int
    tab: str | None = None
