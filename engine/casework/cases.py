"""Cases: start, look at, list, cancel and retry."""

from __future__ import annotations

import copy
import logging
from typing import Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.casework import case_routing, contracts, cooperation, permissions, search
from engine.casework.advancing import advance, audit_outcome
from engine.casework.case_numbers import next_number
from engine.casework.forms import check_data
from engine.casework.work_items import as_dict as work_item_dict
from engine.core import audit, clock
from engine.core.actors import SYSTEM, Actor
from engine.core.db import insert_rows
from engine.core.errors import Conflict, FieldError, InvalidInput, NotFound
from engine.design import deployments, guides
from engine.models import AuditEvent, Case, Job, Office, Subscription, WorkItem
from engine.org import roles
from engine.runtime.assignment import APPLICANT_KEY
from engine.runtime.case_runner import run_steps, store
from engine.runtime.engine import Engine, spec_of
from engine.runtime.persistence import LiveCase

log = logging.getLogger(__name__)


def start_case(rt: Engine, session: Session, key: str, data: dict[str, Any] | None = None, *,
               actor: Actor, business_key: str | None = None, version: int | None = None,
               title: str | None = None, office: str | None = None,
               channel: str | None = None, applicant: str | None = None) -> Case:
    """Start a case of a bundle (or process id) with DATA and run it until it waits.

    OFFICE is the accepting office's code (any office may accept any bundle), CHANNEL
    how the applicant came (online, window, appointment, ...). The case is for its
    starter, or for the principal an agent acts for; APPLICANT names someone else only
    where the engine has checked who they are (a window desk, a draft's owner).
    """
    if data is not None:
        check_data(data, "case data")
    dep, process_id = deployments.find_start(session, key, version)
    bundle = rt.specs.get(session, dep.id)
    guide = _guide(rt, dep.id, bundle.files) if guides.GUIDE_FILE in bundle.files else None
    if guide is not None and data and isinstance(data.get("answers"), dict):
        asked = {q.id for q in guide.questions}
        guides.check_answers(guide, {k: v for k, v in data["answers"].items() if k in asked})
    contracts.check_start(bundle, process_id, guide, data or {})
    _check_office_channel(session, guide, office, channel)
    spec, subs = spec_of(bundle, process_id)
    from SpiffWorkflow.bpmn import BpmnWorkflow

    workflow = BpmnWorkflow(spec, subs, script_engine=rt.script_engine)
    owner = applicant or actor.on_behalf_of or (None if actor is SYSTEM else actor.username)
    start = workflow.get_next_task(state=TaskState.READY)
    if start is not None and data:
        start.data.update(copy.deepcopy(data))
    if start is not None and owner is not None and APPLICANT_KEY in bundle.dataflow.mentioned:
        # who the case is for, for a diagram that reads it; set after the caller's data
        start.data[APPLICANT_KEY] = owner
    if start is not None and guide is not None:
        # 全城通办: each item goes to whoever is competent for the accepting office; set
        # here, after the caller's data, so a caller cannot choose its own reviewers
        start.data[case_routing.ROUTING_KEY] = case_routing.routing_table(session, guide, office)
    now = clock.now()
    case = Case(number=next_number(session), deployment_id=dep.id, process_id=process_id,
                bundle_key=dep.bundle_key, business_key=business_key,
                office_code=office, channel=channel,
                title=title or getattr(spec, "description", None) or process_id,
                status="running", version=0, started_by=actor.label, applicant=owner,
                created_at=now,
                updated_at=now, workflow_state="{}")
    insert_rows(session, [case])
    session.add(case)
    search.index_case(session, case, bundle, process_id, guide, data or {})
    live = LiveCase(case.id, 0, workflow)
    # a new case has no subscriptions, timer jobs or work items to look up yet
    live.waits_key, live.new = ([], []), True
    audit.record(session, actor, "case.started", case_id=case.id,
                 after={"status": "running"}, bundle=dep.bundle_key, version=dep.version,
                 process=process_id, data=data or {})
    run_steps(rt, case, live)
    store(rt, session, case, live)
    audit_outcome(session, case)
    log.info("case %s started (%s v%s)", case.id, dep.bundle_key, dep.version)
    return case


def _guide(rt: Engine, deployment_id: int, files: dict[str, bytes]) -> guides.Guide:
    """The bundle guide of a deployment, read once per version."""
    guide = rt.guides.get(deployment_id)
    if guide is None:
        guide = rt.guides[deployment_id] = guides.load_guide(files)
    return guide


def _check_office_channel(session: Session, guide: guides.Guide | None, office: str | None,
                          channel: str | None) -> None:
    """Refuse an unknown accepting office, or a channel the bundle does not offer."""
    problems: list[FieldError] = []
    if office is not None and session.scalar(
            select(Office.id).where(Office.code == office)) is None:
        problems.append(FieldError("office", f"no office '{office}'"))
    if channel is not None:
        offered = [c.id for c in guide.channels] if guide and guide.channels else guides.CHANNELS
        if channel not in offered:
            problems.append(FieldError("channel", f"'{channel}' is not offered; choose one of "
                                                  f"{', '.join(offered)}"))
    if problems:
        raise InvalidInput("the office or channel is not right", problems)


def get_case(session: Session, case_ref: int | str) -> Case:
    """A case by id or by its human number."""
    case: Case | None
    text = str(case_ref)
    if isinstance(case_ref, int) or (text.isascii() and text.isdigit()):
        number = int(case_ref)
        case = session.get(Case, number) if 0 < number < 2**63 else None
    else:
        case = session.scalar(select(Case).where(Case.number == str(case_ref)))
    if case is None:
        raise NotFound(f"case {case_ref} not found")
    return case


def cancel_case(rt: Engine, session: Session, case_ref: int | str, actor: Actor,
                reason: str = "") -> Case:
    case = get_case(session, case_ref)
    if case.started_by != actor.label:
        roles.require(actor, roles.OPERATORS, "cancel a case someone else started")
    if case.status in ("completed", "cancelled"):
        raise Conflict(f"case {case.number} has already ended ({case.status})")
    return advance(rt, session, case.id, actor, "case.cancelled",
                   lambda live, _case: live.workflow.cancel(), reason=reason)


def retry_case(rt: Engine, session: Session, case_ref: int | str, actor: Actor,
               data: dict[str, Any] | None = None) -> Case:
    """Run a stopped case again from its failed task, optionally with corrected data."""
    case = get_case(session, case_ref)
    roles.require(actor, roles.OPERATORS, "retry a stopped case")
    if case.status != "error":
        raise Conflict(f"case {case.number} is not stopped by an error")
    if data is not None:
        check_data(data, "data")
    return run_again(rt, session, case, actor, data)


def run_again(rt: Engine, session: Session, case: Case, actor: Actor,
              data: dict[str, Any] | None = None) -> Case:
    """Reset the failed task (with DATA merged in) and run the case on."""
    task_id = case.error_task_id

    def again(live: LiveCase, locked: Case) -> None:
        locked.status = "running"
        wf = live.workflow
        task = wf.get_task_from_id(UUID(task_id)) if task_id else None
        if task is not None and task.state == TaskState.ERROR:
            merged = dict(task.data)
            merged.update(copy.deepcopy(data or {}))
            wf.reset_from_task_id(task.id, data=merged)
        elif data:
            for t in wf.get_tasks(state=TaskState.READY):
                t.data.update(copy.deepcopy(data))

    return advance(rt, session, case.id, actor, "case.retried", again,
                   data=data or {})


def waits_of(session: Session, case: Case) -> list[dict[str, Any]]:
    """What the case waits on besides people: timers, messages, signals."""
    out: list[dict[str, Any]] = []
    for job in session.scalars(select(Job).where(Job.case_id == case.id,
                                                 Job.status.in_(("pending", "running")))):
        out.append({"kind": job.kind, "task_id": job.key, "due_at": job.due_at.isoformat()})
    for sub in session.scalars(select(Subscription).where(Subscription.case_id == case.id)):
        out.append({"kind": sub.kind, "name": sub.name, "correlation": sub.correlation})
    return out


# the open work items a task's completion reply lists: a case's open tasks are bounded by
# its diagram's parallel branches, not its history; a wider fan-out pages through /tasks
MAX_OPEN_IN_REPLY = 100


def as_dict(session: Session, case: Case, *, full: bool = False,
            now_open: bool = False) -> dict[str, Any]:
    """CASE as the API shows it. NOW_OPEN adds the open work items and what the case waits
    on; FULL (one case's page) adds its co-handling requests and how many work items and
    audit entries it has. Neither grows with the case's history: the work items and the
    audit trail are paged resources of their own (case_pages)."""
    out: dict[str, Any] = {
        "id": case.id, "number": case.number, "bundle": case.bundle_key,
        "process": case.process_id, "deployment_id": case.deployment_id,
        "business_key": case.business_key, "title": case.title,
        "office": case.office_code, "channel": case.channel, "status": case.status,
        "version": case.version, "started_by": case.started_by, "applicant": case.applicant,
        "created_at": case.created_at.isoformat(), "updated_at": case.updated_at.isoformat(),
        "completed_at": case.completed_at.isoformat() if case.completed_at else None,
        "next_timer_at": case.next_timer_at.isoformat() if case.next_timer_at else None,
        "error": ({"message": case.error_message, "element": case.error_element}
                  if case.status == "error" else None),
    }
    if full or now_open:
        items = session.scalars(select(WorkItem).where(
            WorkItem.case_id == case.id, WorkItem.state == "open")
            .order_by(WorkItem.created_at).limit(MAX_OPEN_IN_REPLY))
        out["work_items"] = [work_item_dict(w) for w in items]
        out["waiting_on"] = waits_of(session, case)
    if full:
        out["cooperation"] = [cooperation.as_dict(r)
                              for r in cooperation.list_for_case(session, case.id)]
        out["counts"] = {
            "work_items": session.scalar(select(func.count()).where(
                WorkItem.case_id == case.id)) or 0,
            "audit": session.scalar(select(func.count()).where(
                AuditEvent.case_id == case.id)) or 0}
    return out


def list_cases(session: Session, *, status: str | None = None, bundle: str | None = None,
               limit: int = 50, offset: int = 0,
               actor: Actor | None = None) -> tuple[list[Case], int]:
    """Cases newest first; with ACTOR, only those the actor may see."""
    query = select(Case)
    if actor is not None:
        condition = permissions.visible_cases(actor)
        if condition is not None:
            query = query.where(condition)
    if status:
        query = query.where(Case.status == status)
    if bundle:
        query = query.where(Case.bundle_key == bundle)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Case.id.desc()).limit(limit).offset(offset)).all()
    return list(rows), total
